"""The programme catalogue and a participant's way through modules and activities."""

from flask import Blueprint

bp = Blueprint("learning", __name__)
