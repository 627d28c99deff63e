"""Feedback forms, session surveys, anonymous answers and their results."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)
