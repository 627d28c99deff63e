"""Fictional demo data for trying the platform. Never load it into a real deployment."""

import random

from flask import current_app
from sqlalchemy import func, select

from tot.accounts.models import User
from tot.demo.people import seed_people
from tot.extensions import db
from tot.regions.services import ensure_reference_regions

SEED = 2026


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


def erase_everything() -> None:
    """Delete every row of every table, children first (for `seed-demo --force`)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.flush()


def seed_demo() -> dict:
    """Fill an empty database with demo data; return counts for the command's report."""
    rng = random.Random(SEED)
    ensure_reference_regions()
    people = seed_people(rng, current_app.config["PRIVACY_NOTICE_VERSION"])
    return {"people": len(people)}
