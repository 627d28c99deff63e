"""Live role-play in a session: groups, roles, role cards and debrief notes."""

from flask import Blueprint

bp = Blueprint("roleplay", __name__)
