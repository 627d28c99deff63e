"""Demo cascade: trainings that graduates gave back home, in towns and villages of both countries.

Runs after the certificates demo and hangs every training on a valid certificate it finds there.
Each planned training names a region and a real town or village of it; it goes to a graduate who
lives in that region (else in that country, else anywhere). Dates fall in the past months, after
the graduate's session; headcounts are plausible for the audience (mostly women for women's
leadership) and the age groups add up to the same total as the genders. Some reports are
verified by the lead facilitator of the graduate's session, one is returned with a comment, the
rest wait for verification; the verification and the return go through the cascade rules, so the
graduates are notified as they would be.
"""

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tot.accounts.models import User
from tot.cascade import services as cascade
from tot.cascade.models import CascadeTraining, ReportStatus
from tot.certificates.models import Certificate
from tot.curriculum.models import Programme, ProgrammeStatus
from tot.db_types import utcnow
from tot.extensions import db
from tot.notifications.models import Notification
from tot.regions.models import Region
from tot.sessions.models import TrainingSession

FEATURED_PARTICIPANT = "participant@example.org"  # gets the returned report, to try correcting it
AGE_GROUPS = ("age_18_24", "age_25_34", "age_35_44", "age_45_54", "age_55_plus", "age_unknown")

# Who comes to a training, by audience: shares of women / men / another gender or not said, and
# weights of the age groups (18–24, 25–34, 35–44, 45–54, 55+, unknown or under 18).
AUDIENCES = {
    "women": {"genders": (0.9, 0.08, 0.02), "ages": (16, 30, 28, 16, 7, 3)},
    "legal": {"genders": (0.55, 0.42, 0.03), "ages": (14, 32, 26, 16, 9, 3)},
    "youth": {"genders": (0.6, 0.37, 0.03), "ages": (45, 20, 5, 2, 0, 28)},
    "elders": {"genders": (0.5, 0.5, 0.0), "ages": (0, 8, 20, 34, 36, 2)},
}

# The trainings, in the order they are handed out. "programme" is a key of PROGRAMME_TITLES (the
# demo curriculum's titles) or None for a topic in the graduate's own words; "status" is what
# becomes of the report.
PLAN: list[dict] = [
    {
        "region": "Osh Region", "settlement": "Uzgen", "programme": None,
        "topic": "Women's rights in the family and how to get legal help",
        "audience": "women", "people": 17, "hours": 4, "days_ago": 40, "status": "returned",
        "notes": "Held in the school library after lessons. Several women came with daughters.",
        "comment": "The age groups do not look right: please check how many were under 18.",
    },
    {
        "region": "Osh Region", "settlement": "Kara-Suu", "programme": "women", "topic": "",
        "audience": "women", "people": 22, "hours": 6, "days_ago": 75, "status": "verified",
        "notes": "Two days of three hours at the ayil okmotu hall. Role-play on the village "
        "council worked best.", "co_trainer": True,
    },
    {
        "region": "Jalal-Abad Region", "settlement": "Bazar-Korgon", "programme": "legal",
        "topic": "", "audience": "legal", "people": 14, "hours": 8, "days_ago": 62,
        "status": "verified", "notes": "Local paralegals and two teachers; we used the "
        "detention-visit scenario.",
    },
    {
        "region": "Batken Region", "settlement": "Isfana", "programme": None,
        "topic": "Sharing water peacefully: dialogue between neighbouring villages",
        "audience": "legal", "people": 19, "hours": 5, "days_ago": 48, "status": "verified",
        "notes": "Men and women sat in separate circles first, then together.",
        "co_trainer": True,
    },
    {
        "region": "Issyk-Kul Region", "settlement": "Karakol", "programme": "women", "topic": "",
        "audience": "women", "people": 25, "hours": 6, "days_ago": 34, "status": "verified",
        "notes": "At the women's council; the local radio asked for an interview afterwards.",
    },
    {
        "region": "Issyk-Kul Region", "settlement": "Bokonbaevo", "programme": None,
        "topic": "Speaking at village meetings", "audience": "youth", "people": 12, "hours": 3,
        "days_ago": 12, "status": "submitted", "notes": "With the youth centre.",
    },
    {
        "region": "Naryn Region", "settlement": "At-Bashy", "programme": "women", "topic": "",
        "audience": "women", "people": 16, "hours": 6, "days_ago": 27, "status": "submitted",
        "notes": "Snow closed the road on the second day, so we finished a week later.",
    },
    {
        "region": "Chüy Region", "settlement": "Tokmok", "programme": "legal",
        "topic": "Free legal aid: where to go", "audience": "elders", "people": 21, "hours": 4,
        "days_ago": 20, "status": "verified", "notes": "With the council of elders.",
    },
    {
        "region": "Sughd Region", "settlement": "Istaravshan", "programme": "women", "topic": "",
        "audience": "women", "people": 24, "hours": 8, "days_ago": 70, "status": "verified",
        "notes": "In the mahalla centre; the mahalla chair opened the first day.",
        "co_trainer": True,
    },
    {
        "region": "Sughd Region", "settlement": "Isfara", "programme": None,
        "topic": "Protecting women from violence at home: rights and helplines",
        "audience": "women", "people": 18, "hours": 4, "days_ago": 16, "status": "submitted",
        "notes": "Some participants asked to meet again without the neighbours present.",
    },
    {
        "region": "Khatlon Region", "settlement": "Kulob", "programme": "legal", "topic": "",
        "audience": "legal", "people": 15, "hours": 6, "days_ago": 55, "status": "verified",
        "notes": "Young lawyers and social workers of the district.",
    },
    {
        "region": "Khatlon Region", "settlement": "Danghara", "programme": None,
        "topic": "Documents for returning migrant workers' families",
        "audience": "legal", "people": 20, "hours": 3, "days_ago": 9, "status": "submitted",
        "notes": "Many questions about birth certificates and pensions.", "co_trainer": True,
    },
    {
        "region": "Gorno-Badakhshan Autonomous Region", "settlement": "Khorog", "programme":
        "women", "topic": "", "audience": "women", "people": 13, "hours": 6, "days_ago": 30,
        "status": "submitted", "notes": "At the university, with students and their mothers.",
    },
    {
        "region": "Districts of Republican Subordination", "settlement": "Vahdat",
        "programme": "legal", "topic": "", "audience": "elders", "people": 11, "hours": 4,
        "days_ago": 6, "status": "submitted", "notes": "In the jamoat hall.",
    },
]  # fmt: skip

# The demo curriculum's programmes, by the keys the plan uses.
PROGRAMME_TITLES = {
    "women": "Women's Leadership TOT",
    "legal": "Human Rights and Legal Aid TOT",
}
REPORTED_AFTER = (1, 6)  # days between a training and its report
REVIEWED_AFTER = (2, 9)  # days between a report and its review
GAP_AFTER_SESSION = timedelta(days=7)  # a graduate trains at the earliest a week after


def _split(rng: random.Random, total: int, weights: Sequence[float]) -> list[int]:
    """`total` people spread over the groups at random, following the weights."""
    counts = [0] * len(weights)
    for index in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[index] += 1
    return counts


def _headcounts(rng: random.Random, audience: str, people: int) -> dict[str, int]:
    shares = AUDIENCES[audience]
    women = round(people * shares["genders"][0])
    other = min(people - women, round(people * shares["genders"][2]))
    counts = {"women": women, "men": people - women - other, "other_genders": other}
    counts.update(zip(AGE_GROUPS, _split(rng, people, shares["ages"]), strict=True))
    return counts


def _valid_certificates() -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .options(
                joinedload(Certificate.user).joinedload(User.region),
                joinedload(Certificate.session).joinedload(TrainingSession.lead_facilitator),
            )
            .join(User, User.id == Certificate.user_id)
            .where(Certificate.revoked_at.is_(None), User.active.is_(True))
            .order_by(Certificate.id)
        ).unique()
    )


def _graduate_for(
    certificates: list[Certificate], region: Region, used: dict[int, int], email: str | None
) -> Certificate:
    """The certificate of a graduate living in the region (else in its country, else anyone),
    the least used so far; a certificate of `email` first when given."""

    def load(certificate: Certificate) -> tuple:
        home = certificate.user.region
        return (
            email is None or certificate.user.email != email,
            home is None or home.id != region.id,
            home is None or home.country is not region.country,
            used.get(certificate.id, 0),
            certificate.id,
        )

    return min(certificates, key=load)


def _day(rng: random.Random, plan: dict, certificate: Certificate, today: date) -> date:
    earliest = certificate.session.local_end.date() + GAP_AFTER_SESSION
    wanted = today - timedelta(days=plan["days_ago"] + rng.randint(0, 4))
    return min(max(wanted, earliest), today - timedelta(days=1))


def _moment(day: date, hour: int, now: datetime) -> datetime:
    return min(datetime.combine(day, time(hour), tzinfo=UTC), now - timedelta(hours=1))


def _co_trainer(rng: random.Random, certificate: Certificate, certificates) -> list[User]:
    peers = [
        other.user
        for other in certificates
        if other.session_id == certificate.session_id and other.user_id != certificate.user_id
    ]
    return [rng.choice(peers)] if peers else []


def seed_cascade(rng: random.Random, now: datetime | None = None) -> dict:
    """The demo cascade trainings; returns counts for the seed command's report."""
    now = now or utcnow()
    certificates = _valid_certificates()
    if not certificates:
        return {"cascade trainings": 0}
    regions = {region.name: region for region in db.session.scalars(select(Region))}
    programmes = {
        programme.title: programme
        for programme in db.session.scalars(
            select(Programme).where(Programme.status == ProgrammeStatus.PUBLISHED)
        )
    }
    used: dict[int, int] = {}
    trainings = []
    for plan in PLAN:
        region = regions[plan["region"]]
        featured = FEATURED_PARTICIPANT if plan["status"] == "returned" else None
        certificate = _graduate_for(certificates, region, used, featured)
        used[certificate.id] = used.get(certificate.id, 0) + 1
        today = datetime.now(region.zone).date()
        held_on = _day(rng, plan, certificate, today)
        reported = _moment(held_on + timedelta(days=rng.randint(*REPORTED_AFTER)), 10, now)
        title = PROGRAMME_TITLES[plan["programme"]] if plan["programme"] else ""
        programme = programmes.get(title)
        training = CascadeTraining(
            graduate=certificate.user,
            certificate=certificate,
            held_on=held_on,
            region=region,
            settlement=plan["settlement"],
            programme=programme,
            # A programme missing from the curriculum is named as the topic instead.
            topic=plan["topic"] or ("" if programme is not None else title),
            hours=plan["hours"],
            **_headcounts(rng, plan["audience"], plan["people"]),
            notes=plan["notes"],
            status=ReportStatus.SUBMITTED,
            co_trainers=_co_trainer(rng, certificate, certificates)
            if plan.get("co_trainer")
            else [],
            created_at=reported,
            updated_at=reported,
        )
        db.session.add(training)
        db.session.flush()
        _review(rng, training, plan, reported, now)
        trainings.append(training)
    return {
        "cascade trainings": len(trainings),
        "verified cascade trainings": sum(1 for training in trainings if training.is_verified),
    }


def _review(
    rng: random.Random, training: CascadeTraining, plan: dict, reported: datetime, now: datetime
) -> None:
    """Verify or return the report as its cohort's lead facilitator, through the rules."""
    if plan["status"] == "submitted":
        return
    reviewer = training.certificate.session.lead_facilitator
    reviewed = min(reported + timedelta(days=rng.randint(*REVIEWED_AFTER)), now)
    if plan["status"] == "verified":
        cascade.verify(training, reviewer, now=reviewed)
    else:
        cascade.return_report(training, reviewer, plan["comment"], now=reviewed)
    training.updated_at = reviewed
    # The notification the graduate has just been sent, dated when it was sent.
    notification = db.session.scalar(
        select(Notification)
        .where(Notification.user_id == training.graduate_id)
        .order_by(Notification.id.desc())
        .limit(1)
    )
    if notification is not None:
        notification.created_at = reviewed
    db.session.flush()
