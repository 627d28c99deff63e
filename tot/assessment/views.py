"""Pre/post self-assessment and its aggregate report."""

from flask import Blueprint

bp = Blueprint("assessment", __name__)
