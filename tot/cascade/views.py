"""The cascade pages: a graduate's trainings and their reports; the cohorts' cascade for their
facilitators and staff, with verification; and the reach figures."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tot.cascade import export, services
from tot.cascade.forms import ReturnForm, TrainingForm
from tot.cascade.models import CascadeTraining
from tot.errors import DomainError
from tot.exports import download
from tot.extensions import db
from tot.forms import report_error
from tot.pages import done, found, paginate, refused
from tot.permissions import Role, roles
from tot.regions.services import regions_for_choice
from tot.urls import redirect_target

bp = Blueprint("cascade", __name__, url_prefix="/cascade")

PER_PAGE = 20
REVIEWERS = (Role.FACILITATOR, Role.STAFF)  # administrators too: they may do all that staff can
READERS = (Role.PARTICIPANT, *REVIEWERS)
REACH_TABLES = {
    "cohorts": services.reach_by_cohort,
    "graduates": services.reach_by_graduate,
    "regions": services.reach_by_region,
    "programmes": services.reach_by_programme,
}


def _visible_or_404(training_id: int) -> CascadeTraining:
    """A report the reader may see: their own, or one of a cohort they review."""
    training = found(services.load_training(training_id))
    if not services.may_see(current_user, training):
        abort(404)
    return training


def _own_or_404(training_id: int) -> CascadeTraining:
    training = found(services.load_training(training_id))
    if training.graduate_id != current_user.id:
        abort(404)
    return training


def _reviewable_or_403(training_id: int) -> CascadeTraining:
    training = found(services.load_training(training_id))
    if not services.may_review(current_user, training):
        abort(403)
    return training


def _show_url(training: CascadeTraining) -> str:
    return url_for("cascade.show", training_id=training.id)


def _training_form(training: CascadeTraining | None, certificates) -> TrainingForm:
    if training is not None:
        form = TrainingForm(
            obj=training, co_trainer_ids=[person.id for person in training.co_trainers]
        )
    elif request.method == "POST":
        form = TrainingForm()
    else:
        form = TrainingForm(formdata=None, region_id=current_user.region_id)
    form.set_choices(
        certificates=certificates,
        regions=regions_for_choice(training.region if training else None),
        programmes=services.programme_options(training.programme if training else None),
        co_trainers=services.co_trainer_options(
            current_user, training.co_trainers if training else ()
        ),
    )
    if len(certificates) == 1 and form.certificate_id.data is None:
        form.certificate_id.data = certificates[0].id  # preselected: there is nothing to choose
    return form


# --- a graduate's own trainings ------------------------------------------------------------------


@bp.route("/mine")
@roles(Role.PARTICIPANT)
def mine():
    return render_template(
        "cascade/mine.html",
        graduate=services.is_graduate(current_user),
        figures=services.my_figures(current_user),
        page=paginate(services.my_trainings(current_user), PER_PAGE),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.PARTICIPANT)
def record():
    certificates = services.certificates_of(current_user)
    if not certificates:
        return render_template("cascade/no_certificate.html")
    form = _training_form(None, certificates)
    if form.validate_on_submit():
        try:
            training = services.record_training(current_user, **form.training_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(
                _("Thank you: the training is recorded and waits for verification."),
                _show_url(training),
            )
    return render_template("cascade/edit.html", form=form, training=None)


@bp.route("/<int:training_id>/edit", methods=["GET", "POST"])
@roles(Role.PARTICIPANT)
def edit(training_id: int):
    training = _own_or_404(training_id)
    refusal = services.edit_refusal(current_user, training)
    if refusal is not None:
        return refused(DomainError(refusal), _show_url(training))
    certificates = services.certificates_of(current_user)
    if not certificates:
        return render_template("cascade/no_certificate.html")
    form = _training_form(training, certificates)
    if form.validate_on_submit():
        was_returned = training.is_returned
        try:
            services.update_training(training, current_user, **form.training_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            if was_returned:
                message = _("The report is corrected and sent again for verification.")
            else:
                message = _("The report is saved.")
            return done(message, _show_url(training))
    return render_template("cascade/edit.html", form=form, training=training)


@bp.route("/<int:training_id>")
@roles(*READERS)
def show(training_id: int):
    training = _visible_or_404(training_id)
    return _show(training, ReturnForm(formdata=None))


def _show(training: CascadeTraining, return_form: ReturnForm):
    return render_template(
        "cascade/show.html",
        training=training,
        return_form=return_form,
        may_review=services.may_review(current_user, training),
        mine=training.graduate_id == current_user.id,
    )


# --- verification --------------------------------------------------------------------------------


@bp.route("/<int:training_id>/verify", methods=["POST"])
@roles(*REVIEWERS)
def verify(training_id: int):
    training = _reviewable_or_403(training_id)
    back = redirect_target("cascade.cohorts")
    try:
        services.verify(training, current_user)
    except DomainError as error:
        return refused(error, back)
    return done(_("The report is verified: it now counts in the reach figures."), back)


@bp.route("/<int:training_id>/return", methods=["POST"])
@roles(*REVIEWERS)
def return_report(training_id: int):
    training = _reviewable_or_403(training_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            services.return_report(training, current_user, form.comment.data)
        except DomainError as error:
            db.session.rollback()
            if error.field is None:
                return refused(error, _show_url(training))
            report_error(form, error)
        else:
            return done(
                _("The report is returned to the graduate with your comment."),
                url_for("cascade.cohorts"),
            )
    return _show(training, form)


# --- the cohorts' cascade and its reach ----------------------------------------------------------


@bp.route("/cohorts")
@roles(*REVIEWERS)
def cohorts():
    return render_template(
        "cascade/cohorts.html",
        totals=services.reach_totals(current_user),
        page=paginate(services.cohort_reports(current_user), PER_PAGE),
    )


@bp.route("/reach")
@roles(*REVIEWERS)
def reach():
    return render_template(
        "cascade/reach.html",
        totals=services.reach_totals(current_user),
        tables={name: table(current_user) for name, table in REACH_TABLES.items()},
    )


@bp.route("/reach/<any(cohorts,graduates,regions,programmes):table>.<any(csv,xlsx):file_format>")
@roles(*REVIEWERS)
def reach_file(table: str, file_format: str):
    rows = export.reach_rows(table, REACH_TABLES[table](current_user))
    today = services.today_in(current_user.region).isoformat()
    return download(
        rows,
        name=f"cascade-reach-{table}-{today}",
        file_format=file_format,
        sheet_title=export.sheet_title(table),
    )
