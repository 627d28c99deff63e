"""The programme catalogue and a participant's way through modules and activities."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from tot.curriculum.models import Activity, ActivityKind, Module, Programme
from tot.errors import DomainError
from tot.extensions import db
from tot.forms import report_error
from tot.hooks import answers
from tot.learning import progress as learning_progress
from tot.learning import services
from tot.learning.forms import ActionForm, CheckAnswersForm, ReflectionForm, parse_check_answers
from tot.learning.hooks import programme_panels
from tot.learning.models import CheckAttempt, Reflection
from tot.pages import paginate
from tot.permissions import Role, public, roles, signed_in

bp = Blueprint("learning", __name__)


@bp.route("/programmes/")
@public
def catalogue():
    programmes = learning_progress.catalogue(str(get_locale()))
    module_counts = dict(
        db.session.execute(
            select(Module.programme_id, func.count()).group_by(Module.programme_id)
        ).all()
    )
    mine = {}
    if current_user.is_authenticated and current_user.role is Role.PARTICIPANT:
        mine = {p.programme_id: p for p in learning_progress.my_programmes(current_user)}
    return render_template(
        "learning/catalogue.html", programmes=programmes, module_counts=module_counts, mine=mine
    )


def _visible_programme_or_404(programme_id: int) -> Programme:
    programme = learning_progress.load_programme(programme_id)
    if programme is None:
        abort(404)
    staff = current_user.is_staff
    if not programme.is_published and not staff:
        abort(404)
    return programme


@bp.route("/programmes/<int:programme_id>")
@public
def programme(programme_id: int):
    programme = _visible_programme_or_404(programme_id)
    overview = learning_progress.programme_overview(current_user, programme)
    progress = refusal = None
    panels = []
    can_open = False
    if current_user.is_authenticated:
        can_open = services.can_view_content(current_user, programme)
        if current_user.role is Role.PARTICIPANT:
            progress = services.programme_progress_of(current_user, programme)
            refusal = services.start_refusal(current_user, programme) if progress is None else None
            panels = [
                panel
                for panel in answers(programme_panels, current_user, programme=programme)
                if panel is not None
            ]
    return render_template(
        "learning/programme.html",
        programme=programme,
        overview=overview,
        progress=progress,
        refusal=refusal,
        can_open=can_open,
        panels=panels,
        form=ActionForm(),
    )


@bp.route("/programmes/<int:programme_id>/start", methods=["POST"])
@roles(Role.PARTICIPANT)
def start(programme_id: int):
    programme = _visible_programme_or_404(programme_id)
    try:
        services.start_programme(current_user, programme)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("learning.programme", programme_id=programme.id))
    db.session.commit()
    flash(_("You have started “%(title)s”. Good luck!", title=programme.title), "success")
    first = learning_progress.next_activity(current_user, programme)
    if first is not None:
        return redirect(url_for("learning.module", module_id=first.module_id))
    return redirect(url_for("learning.programme", programme_id=programme.id))


@bp.route("/my/programmes")
@roles(Role.PARTICIPANT)
def my_programmes():
    started = learning_progress.my_programmes(current_user)
    summaries = learning_progress.summaries(current_user, [p.programme for p in started])
    return render_template(
        "learning/my_programmes.html",
        started=started,
        summaries=summaries,
        next_up=learning_progress.continue_where_left_off(current_user),
    )


def _module_for_viewer(module_id: int) -> Module:
    module = learning_progress.load_module(module_id)
    if module is None:
        abort(404)
    if not services.can_view_content(current_user, module.programme):
        abort(403)
    return module


@bp.route("/modules/<int:module_id>")
@signed_in
def module(module_id: int):
    module = _module_for_viewer(module_id)
    activity_ids = [activity.id for activity in module.activities]
    done = learning_progress.completed_activity_ids(current_user, activity_ids)
    return render_template(
        "learning/module.html",
        module=module,
        done=done,
        scores=learning_progress.best_scores(current_user, activity_ids),
        progress=learning_progress.progress_of(module.activities, done),
        complete=learning_progress.module_is_complete(current_user, module),
    )


def _activity_for_viewer(activity_id: int) -> Activity:
    activity = services.load_check(activity_id)
    if activity is None:
        abort(404)
    if not services.can_view_content(current_user, activity.module.programme):
        abort(403)
    return activity


def _activity_for_learner(activity_id: int) -> Activity:
    activity = _activity_for_viewer(activity_id)
    if not services.can_record_progress(current_user, activity.module.programme):
        abort(403)
    return activity


@bp.route("/activities/<int:activity_id>")
@signed_in
def activity(activity_id: int):
    activity = _activity_for_viewer(activity_id)
    return _render_activity(activity)


def _render_activity(activity: Activity, reflection_form=None, result=None, status=200):
    user = current_user
    siblings = activity.module.activities
    index = siblings.index(activity)
    reflection = learning_progress.reflections_of(user, [activity.id]).get(activity.id)
    if reflection_form is None:
        reflection_form = ReflectionForm(text=reflection.text if reflection else "")
    if result is None and activity.kind is ActivityKind.KNOWLEDGE_CHECK:
        result = _requested_attempt(activity)
    context = {
        "activity": activity,
        "module": activity.module,
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "done": activity.id in learning_progress.completed_activity_ids(user, [activity.id]),
        "can_record": services.can_record_progress(user, activity.module.programme),
        "module_complete": learning_progress.module_is_complete(user, activity.module),
        "reflection": reflection,
        "reflection_form": reflection_form,
        "best_score": learning_progress.best_scores(user, [activity.id]).get(activity.id),
        "result": result,
        "form": ActionForm(),
    }
    return render_template("learning/activity.html", **context), status


def _requested_attempt(activity: Activity) -> services.CheckResult | None:
    """The participant's own attempt named in ?attempt=, to show its result after a redirect."""
    attempt_id = request.args.get("attempt", type=int)
    if attempt_id is None:
        return None
    attempt = db.session.get(CheckAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id or attempt.activity_id != activity.id:
        abort(404)
    return services.result_of(activity, attempt)


def _back_to(activity: Activity, **params):
    return redirect(url_for("learning.activity", activity_id=activity.id, **params))


@bp.route("/activities/<int:activity_id>/read", methods=["POST"])
@roles(Role.PARTICIPANT)
def mark_read(activity_id: int):
    activity = _activity_for_learner(activity_id)
    return _record(activity, services.mark_read, _("Marked as read."))


@bp.route("/activities/<int:activity_id>/prepared", methods=["POST"])
@roles(Role.PARTICIPANT)
def mark_prepared(activity_id: int):
    activity = _activity_for_learner(activity_id)
    return _record(activity, services.mark_prepared, _("Marked as prepared."))


def _record(activity: Activity, action, message: str):
    try:
        action(current_user, activity)
    except DomainError as error:
        flash(error.message, "error")
        return _back_to(activity)
    db.session.commit()
    flash(message, "success")
    return _back_to(activity)


@bp.route("/activities/<int:activity_id>/reflection", methods=["POST"])
@roles(Role.PARTICIPANT)
def save_reflection(activity_id: int):
    activity = _activity_for_learner(activity_id)
    form = ReflectionForm()
    if form.validate_on_submit():
        try:
            services.save_reflection(current_user, activity, form.text.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("Your reflection is saved."), "success")
            return _back_to(activity)
    return _render_activity(activity, reflection_form=form, status=400)


@bp.route("/activities/<int:activity_id>/check", methods=["POST"])
@roles(Role.PARTICIPANT)
def submit_check(activity_id: int):
    activity = _activity_for_learner(activity_id)
    if not CheckAnswersForm().validate_on_submit():
        abort(400)
    answers = parse_check_answers(request.form)
    try:
        if answers is None:
            raise DomainError(_("An answer was given to a question that is not in this check."))
        result = services.submit_check(current_user, activity, answers)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back_to(activity)
    db.session.commit()
    return _back_to(activity, attempt=result.attempt.id, _anchor="result")


@bp.route("/activities/<int:activity_id>/reflections")
@roles(Role.STAFF)
def reflections(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    if activity.kind is not ActivityKind.DISCUSSION:
        abort(404)
    page = paginate(services.reflections_on(activity, current_user), 20)
    return render_template("learning/reflections.html", activity=activity, page=page)


@bp.route("/reflections/<int:reflection_id>")
@signed_in
def reflection(reflection_id: int):
    reflection = db.get_or_404(Reflection, reflection_id)
    if not services.can_read_reflection(current_user, reflection):
        abort(403)
    return render_template("learning/reflection.html", reflection=reflection)
