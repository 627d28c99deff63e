"""Calendars: one session as an .ics file, a person's feed, and the page that manages its link."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from tot.extensions import db
from tot.permissions import public, signed_in
from tot.sessions import services
from tot.sessions.blueprint import bp, visible_or_404
from tot.sessions.calendar import build_calendar
from tot.sessions.models import TrainingSession


def _link(session: TrainingSession) -> str:
    return url_for("sessions.show", session_id=session.id, _external=True)


def _calendar_response(body: bytes, filename: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")  # Flask adds "; charset=utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/<int:session_id>/calendar.ics")
@public
def ics(session_id: int):
    session = visible_or_404(session_id)
    return _calendar_response(build_calendar([session], _link), f"session-{session.id}.ics")


@bp.route("/feed/<token>.ics")
@public
def feed(token: str):
    owner = services.feed_owner(token)
    if owner is None:
        abort(404)
    # A calendar app sends no cookie: the feed speaks its owner's language.
    with force_locale(owner.language.value):
        name = _("My training sessions")
    return _calendar_response(build_calendar(services.feed_sessions(owner), _link, name=name))


@bp.route("/calendar")
@signed_in
def calendar_settings():
    token = services.calendar_token(current_user)
    feed_url = url_for("sessions.feed", token=token.token, _external=True) if token else None
    return render_template("sessions/calendar.html", token=token, feed_url=feed_url)


@bp.route("/calendar", methods=["POST"])
@signed_in
def calendar_create():
    services.create_calendar_token(current_user)
    db.session.commit()
    flash(_("Your calendar link is ready."), "success")
    return redirect(url_for("sessions.calendar_settings"))


@bp.route("/calendar/reset", methods=["POST"])
@signed_in
def calendar_reset():
    services.reset_calendar_token(current_user)
    db.session.commit()
    flash(
        _("Your calendar link is replaced: the old link no longer works."),
        "success",
    )
    return redirect(url_for("sessions.calendar_settings"))
