"""Fictional demo data for trying the platform. Never load it into a real deployment."""

import random

from flask import current_app
from sqlalchemy import func, select

from tot.accounts.models import User
from tot.demo.cascade import seed_cascade
from tot.demo.certificates import seed_certificates
from tot.demo.curriculum import seed_curriculum
from tot.demo.feedback import seed_feedback
from tot.demo.people import seed_people
from tot.demo.progress import seed_progress
from tot.demo.scenario_library import seed_scenarios
from tot.demo.sessions import seed_sessions
from tot.extensions import db
from tot.regions.services import ensure_reference_regions

SEED = 2026
STAFF_AUTHOR = "staff@example.org"  # the demo staff member wrote the scenarios


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
    scenarios = seed_scenarios(people[STAFF_AUTHOR])
    programmes = seed_curriculum(scenarios)
    # A generator of its own, so that changing the people does not reshuffle everyone's progress.
    learners = seed_progress(random.Random(SEED + 1), people, programmes)
    # Sessions come last: enrolment reads progress (prerequisites), role-play adds to it.
    sessions = seed_sessions(random.Random(SEED + 2), people, programmes, scenarios)
    # Feedback, self-assessment and focus groups look back on the past sessions.
    feedback = seed_feedback(random.Random(SEED + 3), people)
    # Graduates of the completed sessions get certificates, then report the trainings they gave.
    certificates = seed_certificates(random.Random(SEED + 4), people)
    cascade = seed_cascade(random.Random(SEED + 5))
    modules = [module for programme in programmes.values() for module in programme.modules]
    return {
        "people": len(people),
        "scenarios": len(scenarios),
        "roles": sum(len(scenario.roles) for scenario in scenarios.values()),
        "programmes": len(programmes),
        "modules": len(modules),
        "activities": sum(len(module.activities) for module in modules),
        "participants with progress": learners,
        **sessions,
        **feedback,
        **certificates,
        **cascade,
    }
