"""Public pages: home, privacy notice, and the health check for load balancers."""

from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tot.extensions import db
from tot.focusgroups.services import featured_quotes
from tot.permissions import public

bp = Blueprint("site", __name__)


@bp.route("/")
@public
def home():
    return render_template("site/home.html", featured=featured_quotes())


@bp.route("/privacy")
@public
def privacy():
    return render_template(
        "site/privacy.html", version=current_app.config["PRIVACY_NOTICE_VERSION"]
    )


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("Health check: the database does not answer")
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
