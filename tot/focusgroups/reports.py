"""The themes report: how often each theme comes up, by region and by programme."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from tot.curriculum.models import Programme
from tot.extensions import db
from tot.focusgroups.models import FocusGroup, Quote, Theme, quote_themes
from tot.regions.models import Region


@dataclass
class ThemeTable:
    """How often each theme comes up, split by one dimension (region or programme)."""

    columns: list[tuple[object, str]]  # (key, label)
    rows: list[tuple[str, int, dict]]  # (theme, total, {key: count})


def _pivot(rows, none_label: str) -> ThemeTable:
    labels: dict[object, str] = {}
    counts: dict[str, dict] = {}
    for theme, key, label, count in rows:
        labels[key] = label if key is not None else none_label
        counts.setdefault(theme, {})[key] = count
    columns = sorted(labels.items(), key=lambda item: (item[0] is None, item[1].lower()))
    table_rows = sorted(
        ((theme, sum(by_key.values()), by_key) for theme, by_key in counts.items()),
        key=lambda row: (-row[1], row[0]),
    )
    return ThemeTable(columns=columns, rows=table_rows)


def themes_by_region() -> ThemeTable:
    """Quotes per theme and speaker's region, all consent levels, in one query."""
    rows = db.session.execute(
        select(Theme.name, Region.id, Region, func.count(Quote.id))
        .select_from(Theme)
        .join(quote_themes, quote_themes.c.theme_id == Theme.id)
        .join(Quote, Quote.id == quote_themes.c.quote_id)
        .outerjoin(Region, Region.id == Quote.region_id)
        .group_by(Theme.name, Region.id)
    )
    named = [(theme, key, region and region.label, count) for theme, key, region, count in rows]
    return _pivot(named, _("No region"))


def themes_by_programme() -> ThemeTable:
    """Quotes per theme and focus group's programme, all consent levels, in one query."""
    rows = db.session.execute(
        select(Theme.name, Programme.id, Programme.title, func.count(Quote.id))
        .select_from(Theme)
        .join(quote_themes, quote_themes.c.theme_id == Theme.id)
        .join(Quote, Quote.id == quote_themes.c.quote_id)
        .join(FocusGroup, FocusGroup.id == Quote.focus_group_id)
        .outerjoin(Programme, Programme.id == FocusGroup.programme_id)
        .group_by(Theme.name, Programme.id, Programme.title)
    )
    return _pivot(rows.all(), _("No programme"))
