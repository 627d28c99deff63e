"""The reach tables as spreadsheets (written by tot.exports, which keeps formulas out)."""

from collections.abc import Callable, Iterable

from flask_babel import gettext as _

from tot.cascade.reach import ReachRow


def _figure_header() -> list[str]:
    return [
        _("Verified trainings"),
        _("People reached"),
        _("Hours of training"),
        _("Women"),
        _("Men"),
        _("Another gender or not said"),
        _("Aged 18–24"),
        _("Aged 25–34"),
        _("Aged 35–44"),
        _("Aged 45–54"),
        _("Aged 55 or more"),
        _("Age unknown or under 18"),
        _("Graduates who trained"),
        _("Reports waiting for verification"),
    ]


def _figures(row: ReachRow) -> list:
    return [
        row.trainings,
        row.people,
        row.hours,
        row.women,
        row.men,
        row.other_genders,
        row.age_18_24,
        row.age_25_34,
        row.age_35_44,
        row.age_45_54,
        row.age_55_plus,
        row.age_unknown,
        row.trainers,
        row.waiting,
    ]


def _multiplier(row: ReachRow):
    value = row.multiplier
    return "" if value is None else round(value, 2)


def _cohort_header() -> list[str]:
    return [
        _("Session"),
        _("Programme and region"),
        _("Graduates"),
        *_figure_header(),
        _("Multiplier"),
    ]


def _cohort_row(row: ReachRow) -> list:
    return [row.label, row.detail, row.graduates, *_figures(row), _multiplier(row)]


def _named_header(first: str) -> list[str]:
    return [first, *_figure_header()]


def _named_row(row: ReachRow) -> list:
    return [row.label, *_figures(row)]


# table -> (its sheet's title, its header, one row)
TABLES: dict[str, tuple[Callable[[], str], Callable[[], list[str]], Callable[[ReachRow], list]]] = {
    "cohorts": (lambda: _("Reach by session"), _cohort_header, _cohort_row),
    "graduates": (
        lambda: _("Reach by graduate"),
        lambda: _named_header(_("Graduate")),
        _named_row,
    ),
    "regions": (lambda: _("Reach by region"), lambda: _named_header(_("Region")), _named_row),
    "programmes": (
        lambda: _("Reach by programme"),
        lambda: _named_header(_("Programme or topic")),
        _named_row,
    ),
}


def sheet_title(table: str) -> str:
    return TABLES[table][0]()


def reach_rows(table: str, rows: Iterable[ReachRow]):
    """The header, then one line per row of the reach table `table` (a key of TABLES)."""
    _title, header, line = TABLES[table]
    yield header()
    for row in rows:
        yield line(row)
