"""Small helpers for dating demo records."""

from datetime import UTC, date, datetime, time

from tot.demo.curriculum import PROGRAMMES

# A programme's title from its key in the curriculum data.
TITLES = {data["key"]: data["title"] for data in PROGRAMMES}


def moment(day: date, hour: int) -> datetime:
    """That day at that hour, in UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC)
