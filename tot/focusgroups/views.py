"""Focus groups, quotes with consent, and the public testimonials page."""

from flask import Blueprint

bp = Blueprint("focusgroups", __name__)
