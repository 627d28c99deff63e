"""Free labels typed as "legal aid, Torture victims": scenario tags and quote themes."""

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import select

from tot.errors import DomainError
from tot.extensions import db


def parse_labels(
    labels: str | Iterable[str],
    *,
    normalise: Callable[[str], str],
    max_length: int,
    max_count: int,
    field: str,
    too_long: str,
    too_many: str,
) -> list[str]:
    """Names from a comma-separated text or a list: normalised, deduplicated, within limits."""
    parts = labels.split(",") if isinstance(labels, str) else labels
    names: list[str] = []
    for part in parts:
        name = normalise(part)
        if not name or name in names:
            continue
        if len(name) > max_length:
            raise DomainError(too_long, field=field)
        names.append(name)
    if len(names) > max_count:
        raise DomainError(too_many, field=field)
    return names


def labels_named(model, names: Sequence[str]) -> list:
    """The rows of `model` with these names, creating those that do not exist yet."""
    if not names:
        return []
    existing = {
        row.name: row for row in db.session.scalars(select(model).where(model.name.in_(names)))
    }
    rows = []
    for name in names:
        row = existing.get(name)
        if row is None:
            row = model(name=name)
            db.session.add(row)
        rows.append(row)
    return rows
