"""Rules about regions: which are offered, and how staff add, rename, retire and restore them."""

from collections import Counter
from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import func, select

from tot.errors import DomainError
from tot.extensions import db
from tot.hooks import answers
from tot.regions.hooks import people_per_region
from tot.regions.models import LOCAL_NAME_COLUMNS, Country, Region
from tot.regions.reference import REFERENCE_REGIONS


def open_regions() -> list[Region]:
    """Regions offered to new registrations and new choices, by country then name."""
    return list(
        db.session.scalars(
            select(Region).where(Region.retired_at.is_(None)).order_by(Region.country, Region.name)
        )
    )


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.country, Region.name)))


def regions_for_choice(current: Region | None = None) -> list[Region]:
    """Open regions, plus the one a person already has even if it has since been retired."""
    regions = open_regions()
    if current is not None and current not in regions:
        regions.append(current)
    return regions


def _ensure_name_free(name: str, country: Country, region: Region | None = None) -> None:
    clash = db.session.scalar(
        select(Region).where(
            func.lower(Region.name) == name.strip().lower(), Region.country == country
        )
    )
    if clash is not None and clash is not region:
        raise DomainError(
            _("%(country)s already has a region with this name.", country=country.label),
            field="name",
        )


def _set_local_names(region: Region, local_names: Mapping[str, str | None]) -> None:
    """The region's names in the other languages; an empty one falls back to the English."""
    for language, column in LOCAL_NAME_COLUMNS.items():
        setattr(region, column, (local_names.get(language) or "").strip() or None)


def add_region(
    *,
    name: str,
    country: Country,
    timezone: str | None = None,
    local_names: dict[str, str | None] | None = None,
) -> Region:
    _ensure_name_free(name, country)
    region = Region(
        name=name.strip(), country=country, timezone=timezone or country.default_timezone
    )
    _set_local_names(region, local_names or {})
    db.session.add(region)
    db.session.flush()
    return region


def update_region(
    region: Region, *, name: str, timezone: str, local_names: dict[str, str | None]
) -> None:
    _ensure_name_free(name, region.country, region)
    region.name = name.strip()
    region.timezone = timezone
    _set_local_names(region, local_names)


def retire_region(region: Region) -> None:
    region.retire()


def restore_region(region: Region) -> None:
    region.restore()


def usage_counts() -> dict[int, int]:
    """How many people name each region."""
    counts: Counter[int] = Counter()
    for answer in answers(people_per_region):
        counts.update(answer)
    return dict(counts)


def ensure_reference_regions() -> None:
    """Add any reference region that is missing (the first migration adds them all)."""
    existing = {(region.country, region.name) for region in all_regions()}
    for country, name, local_names in REFERENCE_REGIONS:
        if (country, name) not in existing:
            region = Region(name=name, country=country, timezone=country.default_timezone)
            _set_local_names(region, local_names)
            db.session.add(region)
    db.session.flush()
