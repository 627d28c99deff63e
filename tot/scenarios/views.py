"""The scenario library: role-plays that modules and sessions reuse."""

from flask import Blueprint

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")
