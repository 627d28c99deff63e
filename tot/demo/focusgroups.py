"""Demo focus groups: meetings in several regions, their quotes, themes and consent history."""

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from tot.accounts.models import User
from tot.curriculum.models import Programme
from tot.demo.clock import TITLES, moment
from tot.demo.focusgroup_data import FOCUS_GROUPS, THEMES
from tot.demo.focusgroup_quotes_local import LOCAL_FOCUS_GROUPS
from tot.extensions import db
from tot.focusgroups.models import Consent, ConsentChange, FocusGroup, Quote, Shown, Theme
from tot.permissions import Role
from tot.regions.models import Region
from tot.sessions.models import SessionStatus, TrainingSession

STAFF_EMAIL = "staff@example.org"  # the demo staff member writes the forms and runs focus groups
ALL_FOCUS_GROUPS: list[dict[str, Any]] = FOCUS_GROUPS + LOCAL_FOCUS_GROUPS
FOCUS_GROUP_GAP = timedelta(days=14)  # a focus group meets at least this long after its session


def _earlier_session(programme: Programme, region: Region, now: datetime):
    """The latest session of the programme in the same country that ended long enough ago,
    in the same region if there is one."""
    sessions = db.session.scalars(
        select(TrainingSession)
        .join(Region, Region.id == TrainingSession.region_id)
        .where(
            TrainingSession.programme_id == programme.id,
            TrainingSession.ends_at < now - FOCUS_GROUP_GAP - timedelta(days=7),
            TrainingSession.status != SessionStatus.CANCELLED,
            Region.country == region.country,
        )
    )
    return max(sessions, key=lambda s: (s.region_id == region.id, s.ends_at), default=None)


def _facilitator(rng: random.Random, people: dict[str, User], region: Region) -> User:
    facilitators = [user for user in people.values() if user.role is Role.FACILITATOR]
    local = [
        user
        for user in facilitators
        if user.region is not None and user.region.country is region.country
    ]
    return rng.choice(local or facilitators)


def _quote(data: dict, held_on: date, regions, themes, staff: User, today: date) -> Quote:
    created_at = moment(held_on + timedelta(days=1), 9)  # typed up the day after
    quote = Quote(
        text=data["text"],
        speaker_name=data["speaker"],
        age=data["age"],
        occupation=data["occupation"],
        region=regions[data["region"]],
        themes=[themes[name] for name in data["themes"]],
        featured=data.get("featured", False),
        consent=Consent.INTERNAL,
        created_at=created_at,
        updated_at=created_at,
    )
    for number, (consent, days, method) in enumerate(data["consent"]):
        day = min(held_on + timedelta(days=days), today - timedelta(days=1))
        changed_at = max(moment(day, 12), created_at) + timedelta(minutes=number)
        # As the platform records them: what a consent to publish agreed to show; the least when
        # withdrawn; what was agreed before while it waits to be asked again (words changed).
        given = None if consent is Consent.PENDING else day
        if consent.publishable:
            quote.shown = data["shown"]
        elif consent is Consent.INTERNAL:
            quote.shown = Shown()
        change = ConsentChange(
            consent=consent,
            given_at=given,
            method=method,
            changed_at=changed_at,
            changed_by_id=staff.id,
        )
        change.shown = quote.shown
        quote.consent_history.append(change)
        quote.consent, quote.consent_given_at, quote.consent_method = consent, given, method
        quote.updated_at = changed_at
    return quote


def seed_focus_groups(rng: random.Random, people: dict[str, User], now: datetime) -> dict:
    staff = people[STAFF_EMAIL]
    regions = {region.name: region for region in db.session.scalars(select(Region))}
    programmes = {programme.title: programme for programme in db.session.scalars(select(Programme))}
    themes = {name: Theme(name=name) for name in THEMES}
    db.session.add_all(themes.values())
    today = now.date()
    quotes = []
    for data in ALL_FOCUS_GROUPS:
        region = regions[data["region"]]
        programme = programmes[TITLES[data["programme"]]]
        held_on = today - timedelta(days=data["days_ago"])
        session = _earlier_session(programme, region, now) if data["after_session"] else None
        if session is not None:
            held_on = max(held_on, session.local_end.date() + FOCUS_GROUP_GAP)
        group = FocusGroup(
            held_on=held_on,
            region=region,
            programme=programme,
            session=session,
            facilitator=session.lead_facilitator if session else _facilitator(rng, people, region),
            **data["attendees"],  # counted by gender, no names
            notes=data["notes"],
            created_by_id=staff.id,
            created_at=moment(held_on, 14),
        )
        group.quotes = [_quote(q, held_on, regions, themes, staff, today) for q in data["quotes"]]
        db.session.add(group)
        quotes += group.quotes
    db.session.flush()
    return {
        "focus groups": len(ALL_FOCUS_GROUPS),
        "quotes": len(quotes),
        "published quotes": sum(1 for quote in quotes if quote.consent.publishable),
        "quotes to ask again": sum(1 for quote in quotes if quote.consent_pending),
    }
