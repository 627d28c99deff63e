"""Staff manage the list of regions."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from tot.errors import DomainError
from tot.extensions import db
from tot.forms import report_error
from tot.permissions import Role, roles
from tot.regions import services
from tot.regions.forms import AddRegionForm, EditRegionForm
from tot.regions.models import Region

bp = Blueprint("regions", __name__, url_prefix="/regions")


@bp.route("/", methods=["GET", "POST"])
@roles(Role.STAFF)
def index():
    form = AddRegionForm()
    if form.validate_on_submit():
        try:
            region = services.add_region(
                name=form.name.data,
                country=form.country.data,
                timezone=form.timezone.data,
                local_names=form.local_names(),
            )
        except DomainError as error:
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is added.", name=region.label), "success")
            return redirect(url_for("regions.index"))
    return render_template(
        "regions/index.html",
        regions=services.all_regions(),
        usage=services.usage_counts(),
        form=form,
    )


@bp.route("/<int:region_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit(region_id: int):
    region = db.get_or_404(Region, region_id)
    form = EditRegionForm(obj=region)
    if form.validate_on_submit():
        try:
            services.update_region(
                region,
                name=form.name.data,
                timezone=form.timezone.data,
                local_names=form.local_names(),
            )
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=region.label), "success")
            return redirect(url_for("regions.index"))
    return render_template("regions/edit.html", form=form, region=region)


@bp.route("/<int:region_id>/retire", methods=["POST"])
@roles(Role.STAFF)
def retire(region_id: int):
    region = db.get_or_404(Region, region_id)
    services.retire_region(region)
    db.session.commit()
    flash(
        _(
            "%(name)s is retired: it is no longer offered, and its history is kept.",
            name=region.label,
        ),
        "success",
    )
    return redirect(url_for("regions.index"))


@bp.route("/<int:region_id>/restore", methods=["POST"])
@roles(Role.STAFF)
def restore(region_id: int):
    region = db.get_or_404(Region, region_id)
    services.restore_region(region)
    db.session.commit()
    flash(_("%(name)s is offered again.", name=region.label), "success")
    return redirect(url_for("regions.index"))
