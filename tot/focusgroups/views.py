"""Focus groups, quotes with consent, and the public testimonials page."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tot.errors import DomainError
from tot.exports import download
from tot.extensions import db
from tot.focusgroups import export, services
from tot.focusgroups.forms import (
    ConsentForm,
    FocusGroupForm,
    GroupFilterForm,
    QuoteEditForm,
    QuoteForm,
    TestimonialFilterForm,
    programme_choices,
)
from tot.focusgroups.models import FocusGroup, Quote
from tot.forms import region_choices, report_error
from tot.pages import paginate
from tot.permissions import Role, public, roles
from tot.regions.services import all_regions, regions_for_choice

bp = Blueprint("focusgroups", __name__)

PER_PAGE = 20


def _group_form(group: FocusGroup | None) -> FocusGroupForm:
    form = FocusGroupForm(obj=group)
    form.set_choices(
        regions=regions_for_choice(group.region if group else None),
        programmes=services.programme_options(),
        sessions=services.session_options(group.session if group else None),
        facilitators=services.facilitator_options(group.facilitator if group else None),
    )
    return form


def _quote_form(group: FocusGroup) -> QuoteForm:
    """The form of a new quote: its speaker's region starts as the group's."""
    if request.method == "POST":
        form = QuoteForm()
    else:
        form = QuoteForm(formdata=None, region_id=group.region_id)
    form.region_id.choices = region_choices(regions_for_choice(group.region))
    return form


def _edit_form(quote: Quote) -> QuoteEditForm:
    form = QuoteEditForm(obj=quote, theme_list=", ".join(theme.name for theme in quote.themes))
    form.region_id.choices = region_choices(regions_for_choice(quote.region))
    return form


def _show(group: FocusGroup, quote_form: QuoteForm | None = None):
    return render_template(
        "focusgroups/show.html",
        group=group,
        quotes=services.quotes_of(group),
        quote_form=quote_form or _quote_form(group),
        attribution=services.attribution,
    )


def _to_quote(quote: Quote):
    return redirect(
        url_for("focusgroups.show", group_id=quote.focus_group_id, _anchor=f"quote-{quote.id}")
    )


# --- focus groups --------------------------------------------------------------------------------


@bp.route("/focus-groups/")
@roles(Role.STAFF)
def index():
    filters = GroupFilterForm(request.args)
    filters.region.choices = region_choices(all_regions(), placeholder=_("All regions"))
    filters.programme.choices = programme_choices(services.programme_options(), _("All programmes"))
    statement = services.list_focus_groups(filters.region.data, filters.programme.data)
    page = paginate(statement, PER_PAGE)
    return render_template(
        "focusgroups/index.html",
        filters=filters,
        page=page,
        quote_counts=services.quote_counts(page.items),
        filtered=bool(filters.region.data or filters.programme.data),
        query={
            "region": filters.region.data or "",
            "programme": filters.programme.data or "",
        },
    )


@bp.route("/focus-groups/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def create():
    form = _group_form(None)
    if form.validate_on_submit():
        try:
            group = services.create_focus_group(author=current_user, **form.group_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The focus group is recorded. Now add what people said."), "success")
            return redirect(url_for("focusgroups.show", group_id=group.id))
    return render_template("focusgroups/edit.html", form=form, group=None)


@bp.route("/focus-groups/<int:group_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit(group_id: int):
    group = db.get_or_404(FocusGroup, group_id)
    form = _group_form(group)
    if form.validate_on_submit():
        try:
            services.update_focus_group(group, **form.group_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The focus group is saved."), "success")
            return redirect(url_for("focusgroups.show", group_id=group.id))
    return render_template("focusgroups/edit.html", form=form, group=group)


@bp.route("/focus-groups/<int:group_id>")
@roles(Role.STAFF)
def show(group_id: int):
    return _show(db.get_or_404(FocusGroup, group_id))


@bp.route("/focus-groups/themes")
@roles(Role.STAFF)
def themes():
    return render_template(
        "focusgroups/themes.html",
        by_region=services.themes_by_region(),
        by_programme=services.themes_by_programme(),
    )


@bp.route("/focus-groups/quotes.<any(csv, xlsx):file_format>")
@roles(Role.STAFF)
def quotes_file(file_format: str):
    rows = export.quotes_rows(services.quotes_for_export())
    name = f"quotes-{services.today_in(None).isoformat()}"
    return download(rows, name=name, file_format=file_format)


# --- quotes and consent --------------------------------------------------------------------------


@bp.route("/focus-groups/<int:group_id>/quotes", methods=["POST"])
@roles(Role.STAFF)
def add_quote(group_id: int):
    group = db.get_or_404(FocusGroup, group_id)
    form = _quote_form(group)
    if form.validate_on_submit():
        try:
            quote = services.add_quote(group, by=current_user, **form.new_quote_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The quote is added."), "success")
            return _to_quote(quote)
    return _show(group, quote_form=form)


@bp.route("/quotes/<int:quote_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_quote(quote_id: int):
    quote = db.get_or_404(Quote, quote_id)
    form = _edit_form(quote)
    if form.validate_on_submit():
        try:
            asked_again = services.update_quote(quote, by=current_user, **form.quote_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            if asked_again:
                flash(
                    _(
                        "The quote is saved and taken off the public pages: the speaker agreed "
                        "to other words. Ask them again, then record their consent."
                    ),
                    "warning",
                )
            else:
                flash(_("The quote is saved."), "success")
            return _to_quote(quote)
    return render_template("focusgroups/quote_edit.html", form=form, quote=quote)


@bp.route("/quotes/<int:quote_id>/consent", methods=["GET", "POST"])
@roles(Role.STAFF)
def consent(quote_id: int):
    quote = db.get_or_404(Quote, quote_id)
    # On POST only what was sent counts: a withdrawal carries no date and keeps none of the old.
    form = ConsentForm() if request.method == "POST" else ConsentForm(obj=quote)
    if form.validate_on_submit():
        try:
            changed = services.change_consent(quote, by=current_user, **form.consent_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            if not changed:
                flash(_("The consent was already recorded like this: nothing changed."), "info")
            elif quote.consent.publishable:
                flash(_("The consent is recorded: the quote may be published."), "success")
            else:
                flash(
                    _("The quote is internal only: it is not shown on any public page."), "success"
                )
            return _to_quote(quote)
    return render_template(
        "focusgroups/consent.html",
        form=form,
        quote=quote,
        history=services.consent_history(quote),
        attribution=services.attribution,
        agreed_details=services.agreed_details,
    )


@bp.route("/quotes/<int:quote_id>/feature", methods=["POST"])
@roles(Role.STAFF)
def feature(quote_id: int):
    quote = db.get_or_404(Quote, quote_id)
    try:
        services.feature(quote)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The quote is featured on the home page."), "success")
    return _to_quote(quote)


@bp.route("/quotes/<int:quote_id>/unfeature", methods=["POST"])
@roles(Role.STAFF)
def unfeature(quote_id: int):
    quote = db.get_or_404(Quote, quote_id)
    services.unfeature(quote)
    db.session.commit()
    flash(_("The quote is no longer featured."), "success")
    return _to_quote(quote)


# --- public --------------------------------------------------------------------------------------


@bp.route("/testimonials")
@public
def testimonials():
    filters = TestimonialFilterForm(request.args)
    theme_names = services.published_theme_names()
    filters.theme.choices = [
        SelectChoice("", _("All themes")),
        *(SelectChoice(name, name) for name in theme_names),
    ]
    filters.programme.choices = programme_choices(
        services.published_programmes(), _("All programmes")
    )
    theme = services.normalise_theme(filters.theme.data or "")
    statement = services.published_quotes(theme=theme, programme_id=filters.programme.data)
    page = paginate(statement, PER_PAGE)
    response = Response(
        render_template(
            "focusgroups/testimonials.html",
            filters=filters,
            page=page,
            testimonials=services.as_testimonials(page.items),
            filtered=bool(theme or filters.programme.data),
            query={"theme": theme, "programme": filters.programme.data or ""},
        )
    )
    # Withdrawn consent must take a quote off this page at once: no cached copies anywhere.
    response.headers["Cache-Control"] = "no-cache"
    return response
