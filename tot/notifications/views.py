"""A person's notifications."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from tot.extensions import db
from tot.notifications import services
from tot.notifications.models import Notification
from tot.pages import paginate
from tot.permissions import signed_in
from tot.urls import is_safe_redirect

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@signed_in
def index():
    page = paginate(services.recent(current_user), 20)
    return render_template("notifications/index.html", page=page, message=services.message)


@bp.route("/read-all", methods=["POST"])
@signed_in
def read_all():
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/<int:notification_id>/open", methods=["POST"])
@signed_in
def open_notification(notification_id: int):
    notification = db.get_or_404(Notification, notification_id)
    if notification.user_id != current_user.id:
        abort(404)
    services.mark_read(notification)
    db.session.commit()
    target = notification.link if is_safe_redirect(notification.link) else None
    return redirect(target or url_for("notifications.index"))
