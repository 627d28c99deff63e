"""Authoring of programmes, modules, activities and knowledge checks (staff)."""

import dataclasses

from flask import (
    Blueprint,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from tot.curriculum import ordering, publishing, queries, questions, services
from tot.curriculum.forms import (
    ACTIVITY_FORMS,
    AddActivityForm,
    ModuleForm,
    ProgrammeForm,
    QuestionForm,
    RolePlayForm,
)
from tot.curriculum.models import Activity, Programme
from tot.errors import DomainError
from tot.extensions import db
from tot.forms import report_error
from tot.pages import done, found, paginate, refused
from tot.permissions import Role, roles

bp = Blueprint("curriculum", __name__, url_prefix="/manage/programmes")

PROGRAMMES_PER_PAGE = 50
MODULE = "/<int:programme_id>/modules/<int:module_id>"
ACTIVITY = MODULE + "/activities/<int:activity_id>"
QUESTION = ACTIVITY + "/questions/<int:question_id>"


# --- helpers -------------------------------------------------------------------------------------


def _programme_url(programme_id: int) -> str:
    return url_for("curriculum.programme", programme_id=programme_id)


def _module_url(module) -> str:
    return url_for("curriculum.module", programme_id=module.programme_id, module_id=module.id)


def _activity_url(activity: Activity) -> str:
    module = activity.module
    return url_for(
        "curriculum.edit_activity",
        programme_id=module.programme_id,
        module_id=module.id,
        activity_id=activity.id,
    )


def _fields(form, fields_class):
    """The form's values for the service's fields dataclass (each form has the fields it needs)."""
    names = [field.name for field in dataclasses.fields(fields_class)]
    return fields_class(**{name: form[name].data for name in names if name in form})


# --- programmes ----------------------------------------------------------------------------------


@bp.route("/")
@roles(Role.STAFF)
def index():
    page = paginate(queries.programme_list(), PROGRAMMES_PER_PAGE)
    counts = queries.module_counts(programme.id for programme in page.items)
    return render_template("curriculum/index.html", page=page, counts=counts)


def _programme_form(programme: Programme | None) -> ProgrammeForm:
    form = ProgrammeForm(obj=programme)
    form.set_prerequisites(queries.prerequisite_candidates(programme), _("None"))
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def new():
    form = _programme_form(None)
    if form.validate_on_submit():
        try:
            programme = services.create_programme(_fields(form, services.ProgrammeFields))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            message = _("“%(title)s” is created as a draft.", title=programme.title)
            return done(message, _programme_url(programme.id))
    return render_template("curriculum/programme_form.html", form=form, programme=None)


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit(programme_id: int):
    programme = found(queries.get_programme(programme_id))
    form = _programme_form(programme)
    if form.validate_on_submit():
        try:
            services.update_programme(programme, _fields(form, services.ProgrammeFields))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(
                _("“%(title)s” is saved.", title=programme.title), _programme_url(programme_id)
            )
    return render_template("curriculum/programme_form.html", form=form, programme=programme)


def _render_programme(programme: Programme, module_form: ModuleForm):
    return render_template(
        "curriculum/programme.html",
        programme=programme,
        module_form=module_form,
        problems=publishing.publication_problems(programme),
        preview_url=url_for("learning.programme", programme_id=programme.id),
    )


@bp.route("/<int:programme_id>")
@roles(Role.STAFF)
def programme(programme_id: int):
    programme = found(queries.load_programme(programme_id))
    return _render_programme(programme, ModuleForm(formdata=None))


@bp.post("/<int:programme_id>/publish")
@roles(Role.STAFF)
def publish(programme_id: int):
    programme = found(queries.load_programme(programme_id))
    try:
        publishing.publish_programme(programme)
    except DomainError as error:
        return refused(error, _programme_url(programme_id))
    message = _("“%(title)s” is published in the catalogue.", title=programme.title)
    return done(message, _programme_url(programme_id))


@bp.post("/<int:programme_id>/unpublish")
@roles(Role.STAFF)
def unpublish(programme_id: int):
    programme = found(queries.get_programme(programme_id))
    publishing.unpublish_programme(programme)
    message = _("“%(title)s” is a draft again.", title=programme.title)
    return done(message, _programme_url(programme_id))


# --- modules -------------------------------------------------------------------------------------


@bp.post("/<int:programme_id>/modules")
@roles(Role.STAFF)
def add_module(programme_id: int):
    programme = found(queries.load_programme(programme_id))
    form = ModuleForm()
    if form.validate_on_submit():
        try:
            module = services.add_module(programme, **form.values())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("Module “%(title)s” is added.", title=module.title), _module_url(module))
    return _render_programme(programme, form)


@bp.route(MODULE)
@roles(Role.STAFF)
def module(programme_id: int, module_id: int):
    module = found(queries.load_module(programme_id, module_id))
    return _render_module(module, AddActivityForm(formdata=None))


def _render_module(module, activity_form: AddActivityForm):
    return render_template("curriculum/module.html", module=module, form=activity_form)


@bp.route(MODULE + "/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_module(programme_id: int, module_id: int):
    module = found(queries.load_module(programme_id, module_id))
    form = ModuleForm(obj=module)
    if form.validate_on_submit():
        try:
            services.update_module(module, **form.values())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("Module “%(title)s” is saved.", title=module.title), _module_url(module))
    return render_template("curriculum/module_form.html", form=form, module=module)


@bp.post(MODULE + "/move")
@roles(Role.STAFF)
def move_module(programme_id: int, module_id: int):
    module = found(queries.load_module(programme_id, module_id))
    try:
        ordering.move_module(module, request.form.get("direction", ""))
    except DomainError as error:
        return refused(error, _programme_url(programme_id))
    return done(_("Module “%(title)s” is moved.", title=module.title), _programme_url(programme_id))


@bp.post(MODULE + "/delete")
@roles(Role.STAFF)
def delete_module(programme_id: int, module_id: int):
    module = found(queries.load_module(programme_id, module_id))
    title = module.title
    try:
        services.delete_module(module)
    except DomainError as error:
        return refused(error, _programme_url(programme_id))
    return done(_("Module “%(title)s” is deleted.", title=title), _programme_url(programme_id))


# --- activities ----------------------------------------------------------------------------------


@bp.post(MODULE + "/activities")
@roles(Role.STAFF)
def add_activity(programme_id: int, module_id: int):
    module = found(queries.load_module(programme_id, module_id))
    form = AddActivityForm()
    if form.validate_on_submit():
        try:
            activity = services.add_activity(module, kind=form.kind.data, title=form.title.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            message = _("“%(title)s” is added: now fill it in.", title=activity.title)
            return done(message, _activity_url(activity))
    return _render_module(module, form)


def _activity_form(activity: Activity):
    form = ACTIVITY_FORMS[activity.kind](obj=activity)
    if isinstance(form, RolePlayForm):
        form.set_scenarios(queries.scenario_choices(), _("Choose a scenario"))
    return form


def _render_activity(activity: Activity, form, question_form: QuestionForm):
    return render_template(
        "curriculum/activity.html", activity=activity, form=form, question_form=question_form
    )


@bp.route(ACTIVITY + "/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_activity(programme_id: int, module_id: int, activity_id: int):
    activity = found(queries.load_activity(programme_id, module_id, activity_id))
    form = _activity_form(activity)
    if form.validate_on_submit():
        try:
            services.update_activity(activity, _fields(form, services.ActivityFields))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("“%(title)s” is saved.", title=activity.title), _activity_url(activity))
    return _render_activity(activity, form, QuestionForm(formdata=None))


@bp.post(ACTIVITY + "/move")
@roles(Role.STAFF)
def move_activity(programme_id: int, module_id: int, activity_id: int):
    activity = found(queries.load_activity(programme_id, module_id, activity_id))
    back = _module_url(activity.module)
    try:
        ordering.move_activity(activity, request.form.get("direction", ""))
    except DomainError as error:
        return refused(error, back)
    return done(_("“%(title)s” is moved.", title=activity.title), back)


@bp.post(ACTIVITY + "/delete")
@roles(Role.STAFF)
def delete_activity(programme_id: int, module_id: int, activity_id: int):
    activity = found(queries.load_activity(programme_id, module_id, activity_id))
    back, title = _module_url(activity.module), activity.title
    try:
        services.delete_activity(activity)
    except DomainError as error:
        return refused(error, back)
    return done(_("“%(title)s” is deleted.", title=title), back)


# --- knowledge-check questions -------------------------------------------------------------------


@bp.post(ACTIVITY + "/questions")
@roles(Role.STAFF)
def add_question(programme_id: int, module_id: int, activity_id: int):
    activity = found(queries.load_activity(programme_id, module_id, activity_id))
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            questions.add_question(activity, **form.values())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("The question is added."), _activity_url(activity))
    return _render_activity(activity, _activity_form(activity), form)


def _question_or_404(programme_id: int, module_id: int, activity_id: int, question_id: int):
    activity = found(queries.load_activity(programme_id, module_id, activity_id))
    return found(queries.find_question(activity, question_id))


@bp.route(QUESTION + "/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_question(programme_id: int, module_id: int, activity_id: int, question_id: int):
    question = _question_or_404(programme_id, module_id, activity_id, question_id)
    answer_type = "multiple" if question.multiple else "single"
    form = QuestionForm(obj=question, answer_type=answer_type)
    if form.validate_on_submit():
        try:
            questions.update_question(question, **form.values())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("The question is saved."), _activity_url(question.activity))
    return render_template("curriculum/question_form.html", form=form, question=question)


@bp.post(QUESTION + "/move")
@roles(Role.STAFF)
def move_question(programme_id: int, module_id: int, activity_id: int, question_id: int):
    question = _question_or_404(programme_id, module_id, activity_id, question_id)
    back = _activity_url(question.activity)
    try:
        ordering.move_question(question, request.form.get("direction", ""))
    except DomainError as error:
        return refused(error, back)
    return done(_("The question is moved."), back)


@bp.post(QUESTION + "/delete")
@roles(Role.STAFF)
def delete_question(programme_id: int, module_id: int, activity_id: int, question_id: int):
    question = _question_or_404(programme_id, module_id, activity_id, question_id)
    back = _activity_url(question.activity)
    try:
        questions.delete_question(question)
    except DomainError as error:
        return refused(error, back)
    return done(_("The question is deleted."), back)
