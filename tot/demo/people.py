"""Demo accounts: the four documented ones, more facilitators, and many participants."""

import random

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from tot.accounts.models import AgeGroup, Gender, PrivacyAgreement, User
from tot.demo.names import KYRGYZ, TAJIK, surname_for
from tot.extensions import db
from tot.i18n import Language
from tot.permissions import Role
from tot.regions.models import Country, Region

DEMO_PASSWORD = "TotDemo-2026"

# (email, name, role, region name, gender, age group, language)
DEMO_ACCOUNTS = [
    ("admin@example.org", "Meerim Asanova", Role.ADMIN, "Bishkek city",
     Gender.WOMAN, AgeGroup.AGE_35_44, Language.ENGLISH),
    ("staff@example.org", "Dilnoza Karimova", Role.STAFF, "Dushanbe city",
     Gender.WOMAN, AgeGroup.AGE_25_34, Language.RUSSIAN),
    ("facilitator@example.org", "Bakyt Jumabaev", Role.FACILITATOR, "Osh city",
     Gender.MAN, AgeGroup.AGE_45_54, Language.RUSSIAN),
    ("participant@example.org", "Aizada Toktogulova", Role.PARTICIPANT, "Osh Region",
     Gender.WOMAN, AgeGroup.AGE_25_34, Language.KYRGYZ),
]  # fmt: skip

EXTRA_FACILITATORS = 6
EXTRA_PARTICIPANTS = 150

# Women are most of the participants of these programmes; some people give no gender.
GENDER_WEIGHTS = {Gender.WOMAN: 62, Gender.MAN: 33, Gender.ANOTHER: 1, Gender.UNDISCLOSED: 4}
AGE_WEIGHTS = {
    AgeGroup.AGE_18_24: 18,
    AgeGroup.AGE_25_34: 34,
    AgeGroup.AGE_35_44: 26,
    AgeGroup.AGE_45_54: 15,
    AgeGroup.AGE_55_PLUS: 7,
}
LANGUAGE_BY_COUNTRY = {
    Country.KYRGYZSTAN: [Language.KYRGYZ, Language.RUSSIAN, Language.RUSSIAN],
    Country.TAJIKISTAN: [Language.TAJIK, Language.RUSSIAN, Language.TAJIK],
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fictional_name(rng: random.Random, country: Country, gender: Gender) -> str:
    pool = KYRGYZ if country is Country.KYRGYZSTAN else TAJIK
    woman = gender is Gender.WOMAN or (gender is not Gender.MAN and rng.random() < 0.5)
    first = rng.choice(pool["women"] if woman else pool["men"])
    return f"{first} {surname_for(rng.choice(pool['surnames']), woman)}"


def _email(name: str, number: int) -> str:
    ascii_name = name.lower().replace(" ", ".").replace("ü", "u")
    return f"{ascii_name}.{number}@example.org"


def seed_people(rng: random.Random, notice_version: str) -> dict[str, User]:
    """Create the demo accounts. Every one shares the demo password (one hash, computed once)."""
    password_hash = generate_password_hash(DEMO_PASSWORD)
    regions = {region.name: region for region in db.session.scalars(select(Region))}
    people: dict[str, User] = {}

    def add(email, name, role, region, gender, age_group, language) -> User:
        user = User(
            email=email, full_name=name, role=role, region=region, gender=gender,
            age_group=age_group, language=language, password_hash=password_hash,
        )  # fmt: skip
        db.session.add(user)
        if role is Role.PARTICIPANT:
            db.session.add(PrivacyAgreement(user=user, notice_version=notice_version))
        people[email] = user
        return user

    for email, name, role, region_name, gender, age_group, language in DEMO_ACCOUNTS:
        add(email, name, role, regions[region_name], gender, age_group, language)

    open_regions = sorted((r for r in regions.values() if not r.is_retired), key=lambda r: r.name)
    for number in range(1, EXTRA_FACILITATORS + 1):
        region = open_regions[(number * 5) % len(open_regions)]
        gender = Gender.WOMAN if number % 3 else Gender.MAN
        name = _fictional_name(rng, region.country, gender)
        add(_email(name, number), name, Role.FACILITATOR, region, gender,
            _pick(rng, AGE_WEIGHTS), rng.choice(LANGUAGE_BY_COUNTRY[region.country]))  # fmt: skip

    for number in range(1, EXTRA_PARTICIPANTS + 1):
        region = open_regions[number % len(open_regions)]  # spread over every region
        gender = _pick(rng, GENDER_WEIGHTS)
        name = _fictional_name(rng, region.country, gender)
        add(_email(name, 100 + number), name, Role.PARTICIPANT, region, gender,
            _pick(rng, AGE_WEIGHTS), rng.choice(LANGUAGE_BY_COUNTRY[region.country]))  # fmt: skip
    db.session.flush()
    return people
