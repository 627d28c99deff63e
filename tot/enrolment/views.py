"""Applying, approving, waiting lists, rosters, attendance and bulk enrolment."""

from flask import Blueprint

bp = Blueprint("enrolment", __name__)
