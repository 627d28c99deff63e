"""Authoring of programmes, modules, activities and knowledge checks (staff)."""

from flask import Blueprint

bp = Blueprint("curriculum", __name__, url_prefix="/manage/programmes")
