"""The cascade pages (being built)."""

from flask import Blueprint

bp = Blueprint("cascade", __name__)
