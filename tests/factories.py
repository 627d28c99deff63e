"""The builders tests share: programmes, scenarios, sessions, enrolments, feedback, focus groups,
certificates and cascade trainings.

Every test module builds its data with these (and `conftest`'s `make_user`, `make_region`); no
test module imports another. Each builder commits, so that requests made by the test see it.
"""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tot.cascade.models import CascadeTraining, ReportStatus
from tot.certificates.models import Certificate
from tot.curriculum.models import (
    Activity,
    ActivityKind,
    Choice,
    Module,
    Programme,
    ProgrammeStatus,
    Question,
)
from tot.db_types import utcnow
from tot.enrolment import services as enrolment_services
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.feedback import services as feedback_services
from tot.feedback.models import (
    FeedbackForm,
    FeedbackQuestion,
    FeedbackResponse,
    QuestionKind,
    SessionSurvey,
)
from tot.focusgroups import services as focusgroup_services
from tot.focusgroups.models import Consent, FocusGroup, NameShown, Quote, Shown
from tot.regions.models import Region
from tot.scenarios.models import Scenario, ScenarioRole
from tot.sessions.models import EnrolmentMode, SeatQuota, SessionStatus, TrainingSession

_numbers = itertools.count(1)
BISHKEK = ZoneInfo("Asia/Bishkek")
YEAR = utcnow().year + 1  # always in the future; the offsets are the same every year
LAST_WEEK = date.today() - timedelta(days=7)


def make_programme(title="Legal Aid TOT", published=True, modules=1, **fields) -> Programme:
    """A programme with `modules` modules, each with one of every kind of activity."""
    programme = Programme(
        title=title,
        summary="A programme.",
        status=ProgrammeStatus.PUBLISHED if published else ProgrammeStatus.DRAFT,
        **fields,
    )
    db.session.add(programme)
    for number in range(modules):
        add_module(programme, f"Module {number + 1}")
    db.session.commit()
    return programme


def add_module(programme: Programme, title: str, kinds=None) -> Module:
    module = Module(programme=programme, title=title, position=len(programme.modules))
    db.session.add(module)
    for kind in kinds or list(ActivityKind):
        add_activity(module, kind)
    db.session.flush()
    return module


def add_activity(module: Module, kind: ActivityKind, required=True) -> Activity:
    activity = Activity(
        module=module,
        kind=kind,
        title=f"{kind.label} {len(module.activities) + 1}",
        position=len(module.activities),
        required=required,
        body="Some **text**.",
    )
    if kind is ActivityKind.KNOWLEDGE_CHECK:
        activity.pass_mark = 50
        add_question(activity, "Single?", [("Right", True), ("Wrong", False)])
        add_question(activity, "Multiple?", [("A", True), ("B", True), ("C", False)], multiple=True)
    if kind is ActivityKind.ROLE_PLAY:
        activity.scenario = make_scenario()
    db.session.add(activity)
    return activity


def add_question(activity: Activity, text: str, choices, multiple=False) -> Question:
    question = Question(
        activity=activity, text=text, multiple=multiple, position=len(activity.questions)
    )
    for position, (choice_text, correct) in enumerate(choices):
        question.choices.append(Choice(text=choice_text, correct=correct, position=position))
    return question


def make_scenario(title="Visit to a detention centre") -> Scenario:
    scenario = Scenario(
        title=title,
        situation="A family asks for help.",
        objectives="Listen first.",
        debrief_questions="What did you notice?\nWhat would you change?",
        observer_checklist="Introduced themselves",
        group_min=2,
        group_max=3,
    )
    scenario.roles.append(
        ScenarioRole(
            name="Lawyer",
            public_description="A young lawyer.",
            private_brief="SECRET-LAWYER",
            position=0,
        )
    )
    scenario.roles.append(
        ScenarioRole(
            name="Mother",
            public_description="The detainee's mother.",
            private_brief="SECRET-MOTHER",
            position=1,
        )
    )
    db.session.add(scenario)
    return scenario


def activity_of(programme: Programme, kind: ActivityKind, module_index=0) -> Activity:
    return next(a for a in programme.modules[module_index].activities if a.kind is kind)


def right_answers(activity: Activity) -> dict[str, list[str]]:
    return {
        f"q-{question.id}": [str(choice.id) for choice in question.choices if choice.correct]
        for question in activity.questions
    }


# --- places and times ----------------------------------------------------------------------------


def region_named(name: str) -> Region:
    return db.session.execute(select(Region).filter_by(name=name)).scalar_one()


def utc(month, day, hour, minute=0, year=YEAR) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local_start(days_ahead: int = 14) -> datetime:
    """09:00 in Bishkek, some days from now, as an aware UTC instant."""
    day = datetime.now(BISHKEK).date() + timedelta(days=days_ahead)
    return datetime.combine(day, time(9), tzinfo=BISHKEK).astimezone(UTC)


# --- sessions ------------------------------------------------------------------------------------


def make_session(
    lead,
    *,
    programme=None,
    region=None,
    starts_at=None,
    ends_at=None,
    days=2,
    title=None,
    capacity=3,
    mode=EnrolmentMode.OPEN,
    status=SessionStatus.PUBLISHED,
    opens_at=None,
    closes_at=None,
    quotas=(),
    co_facilitators=(),
    venue="Community hall",
    timezone=None,
    **fields,
) -> TrainingSession:
    """A session led by `lead`: by default published, in the lead's region, two days from 09:00
    to 17:00 Bishkek time two weeks from now; quotas as (region, cap, reserved, until) tuples."""
    starts_at = starts_at or local_start()
    region = region or lead.region
    session = TrainingSession(
        programme=programme
        or make_programme(title=f"Programme {next(_numbers)}", self_paced=False),
        title=title or f"Session {next(_numbers)}",
        starts_at=starts_at,
        ends_at=ends_at or starts_at + timedelta(days=days - 1, hours=8),
        region=region,
        venue=venue,
        timezone=timezone or region.timezone,
        capacity=capacity,
        enrolment_mode=mode,
        enrolment_opens_at=opens_at,
        enrolment_closes_at=closes_at,
        lead_facilitator=lead,
        status=status,
        **fields,
    )
    for quota_region, cap, reserved, until in quotas:
        session.quotas.append(
            SeatQuota(region=quota_region, cap=cap, reserved=reserved, reserved_until=until)
        )
    session.co_facilitators = list(co_facilitators)
    db.session.add(session)
    db.session.commit()
    return session


def add_session(
    programme,
    lead,
    region,
    starts_at,
    ends_at,
    *,
    title="A session",
    venue="Community centre",
    capacity=20,
    co=(),
    **fields,
) -> TrainingSession:
    """A session at these instants, as the scheduling tests write them."""
    return make_session(
        lead,
        programme=programme,
        region=region,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        venue=venue,
        capacity=capacity,
        co_facilitators=co,
        **fields,
    )


def make_past_session(
    region, lead, *, ends_in=timedelta(days=-1), days=2, title="Legal aid TOT, Osh"
) -> TrainingSession:
    """A session that ended `ends_in` from now (negative: in the past; else it runs now), on
    exactly `days` local calendar days whatever the hour the test runs at: its first day starts
    up to eight hours earlier in the day than its last ends, never before that day's midnight."""
    ends_at = utcnow() + ends_in
    local_end = ends_at.astimezone(ZoneInfo(region.timezone))
    since_midnight = local_end - local_end.replace(hour=0, minute=0, second=0, microsecond=0)
    return make_session(
        lead,
        programme=make_programme(),
        region=region,
        title=title,
        starts_at=ends_at - timedelta(days=days - 1) - min(timedelta(hours=8), since_midnight),
        ends_at=ends_at,
        venue="Hall",
        capacity=20,
        status=SessionStatus.COMPLETED if ends_in < timedelta(0) else SessionStatus.PUBLISHED,
    )


# --- enrolments ----------------------------------------------------------------------------------


def enrol(session, user, status=EnrolmentStatus.CONFIRMED, *, present=()) -> Enrolment:
    """An enrolment written directly, with an attendance record per value of `present` (True:
    present), day by day."""
    enrolment = Enrolment(session=session, user_id=user.id, region_id=user.region_id, status=status)
    db.session.add(enrolment)
    for day, here in zip(session.days, present, strict=False):
        db.session.add(
            Attendance(
                enrolment=enrolment,
                day=day,
                status=AttendanceStatus.PRESENT if here else AttendanceStatus.ABSENT,
            )
        )
    db.session.commit()
    return enrolment


def enrol_attended(session, user, *, status=EnrolmentStatus.CONFIRMED, present=(True,)):
    """An enrolment present on the session's first day (or as `present` says)."""
    return enrol(session, user, status, present=present)


def enrol_all(session, people, status=EnrolmentStatus.CONFIRMED) -> None:
    for person in people:
        enrol(session, person, status)


def apply_to(session, user, now=None, **kwargs) -> Enrolment:
    """An application through the enrolment rules, as the apply button makes it."""
    enrolment = enrolment_services.apply(session, user, now=now, **kwargs)
    db.session.commit()
    return enrolment


def statuses(session) -> dict[int, EnrolmentStatus]:
    return dict(
        db.session.execute(
            select(Enrolment.user_id, Enrolment.status).where(Enrolment.session_id == session.id)
        ).all()
    )


def enrolment_of(session, user) -> Enrolment:
    return db.session.scalar(
        select(Enrolment)
        .where(Enrolment.session_id == session.id, Enrolment.user_id == user.id)
        .order_by(Enrolment.id.desc())
    )


# --- feedback ------------------------------------------------------------------------------------


def make_form(title="After the training", questions=None) -> FeedbackForm:
    """A feedback form; by default a required rating, a required choice and an optional text."""
    form = feedback_services.create_form(title=title, intro="Thank you for taking part.")
    if questions is None:
        questions = [
            feedback_services.QuestionFields(
                "How useful was it?", QuestionKind.RATING, True, "", "Not at all", "Very much"
            ),
            feedback_services.QuestionFields(
                "Which part helped most?",
                QuestionKind.CHOICE,
                True,
                "Role-play\nTheory\nDiscussion",
            ),
            feedback_services.QuestionFields("What should we change?", QuestionKind.TEXT, False),
        ]
    for fields in questions:
        feedback_services.add_question(form, fields)
    db.session.commit()
    return form


def make_survey(session, form, *, closes_in=timedelta(days=10), opened_at=None) -> SessionSurvey:
    survey = SessionSurvey(
        session=session, form=form, closes_at=utcnow() + closes_in, opened_at=opened_at
    )
    db.session.add(survey)
    db.session.commit()
    return survey


def questions_of(form) -> list[FeedbackQuestion]:
    return list(
        db.session.scalars(
            select(FeedbackQuestion)
            .where(FeedbackQuestion.form_id == form.id)
            .order_by(FeedbackQuestion.position)
        )
    )


def sheet(form, rating="4", choice="Role-play", text="") -> dict:
    """The answers a person sends for the default form."""
    rating_q, choice_q, text_q = questions_of(form)
    return {f"q-{rating_q.id}": rating, f"q-{choice_q.id}": choice, f"q-{text_q.id}": text}


def add_responses(survey, count, answers=None) -> None:
    """Answer sheets written directly, as `count` people would have left them."""
    questions = questions_of(survey.form)
    for number in range(count):
        values = answers(number) if answers else {}
        db.session.add(
            FeedbackResponse(
                survey_id=survey.id,
                submitted_on=utcnow().date(),
                answers={str(q.id): v for q, v in zip(questions, values, strict=False)},
            )
        )
    db.session.commit()


# --- focus groups --------------------------------------------------------------------------------


def make_group(region: Region, programme=None, held_on=LAST_WEEK, **fields) -> FocusGroup:
    fields.setdefault("women", 5)
    fields.setdefault("men", 3)
    fields.setdefault("notes", "Met in the community centre.")
    group = FocusGroup(held_on=held_on, region=region, programme=programme, **fields)
    db.session.add(group)
    db.session.commit()
    return group


def make_quote(
    group: FocusGroup,
    text="Since the training I speak up at village meetings.",
    consent=Consent.INTERNAL,
    speaker_name="Aigerim",
    age=24,
    occupation="teacher",
    region=None,
    themes=("confidence",),
    featured=False,
    by=None,
    shown: Shown | None = None,
) -> Quote:
    """A quote; `shown` is what its consent lets the public read (with a name: the first name)."""
    publishable = consent is not Consent.INTERNAL
    if shown is None:
        shown = Shown(NameShown.FIRST_NAME) if consent is Consent.NAMED else Shown()
    quote = focusgroup_services.add_quote(
        group,
        by=by,
        text=text,
        speaker_name=speaker_name,
        age=age,
        occupation=occupation,
        region_id=(region or group.region).id,
        themes=list(themes),
        consent=consent,
        consent_given_at=LAST_WEEK if publishable else None,
        consent_method="signed form" if publishable else "",
        name_shown=shown.name,
        pseudonym=shown.pseudonym,
        show_age_band=shown.age_band,
        show_occupation=shown.occupation,
        place_shown=shown.place,
    )
    if featured:
        focusgroup_services.feature(quote)
    db.session.commit()
    return quote


# --- certificates and cascade trainings: rows written directly ------------------------------------

AGE_FIELDS = ("age_18_24", "age_25_34", "age_35_44", "age_45_54", "age_55_plus", "age_unknown")


def certify(person, training_session, *, revoked=False, issued_at=None) -> Certificate:
    certificate = Certificate(
        user_id=person.id,
        session_id=training_session.id,
        holder_name=person.full_name,
        issued_at=issued_at or utcnow(),
        revoked_at=utcnow() if revoked else None,
    )
    db.session.add(certificate)
    db.session.commit()
    return certificate


def add_cascade_training(
    certificate: Certificate,
    *,
    status=ReportStatus.SUBMITTED,
    held_on=LAST_WEEK,
    region=None,
    women=6,
    men=3,
    other_genders=1,
    ages=None,
    programme=None,
    topic="Rights at home",
    settlement="Uzgen",
    hours=4,
    co_trainers=(),
    **fields,
) -> CascadeTraining:
    """A report of a training; the ages all `unknown` unless given (so that they add up)."""
    if ages is None:
        ages = {"age_unknown": women + men + other_genders}
    training = CascadeTraining(
        graduate_id=certificate.user_id,
        certificate_id=certificate.id,
        held_on=held_on,
        region=region or db.session.get(Region, certificate.user.region_id),
        settlement=settlement,
        programme=programme,
        topic=topic,
        hours=hours,
        women=women,
        men=men,
        other_genders=other_genders,
        **{name: ages.get(name, 0) for name in AGE_FIELDS},
        status=status,
        co_trainers=list(co_trainers),
        **fields,
    )
    db.session.add(training)
    db.session.commit()
    return training


# --- feedback in batches -------------------------------------------------------------------------


def answer_survey(session, survey, people, answers=None, now=None) -> None:
    """Each person attends the session and answers its survey as the answer form does: their
    receipt, then their sheet among those waiting, released into the results by whole batches.
    `answers(number)` gives the values of the form's questions, in order."""
    questions = questions_of(survey.form)
    for number, person in enumerate(people):
        enrol_attended(session, person)
        values = answers(number) if answers else [4, "Role-play"]
        raw = {question.id: value for question, value in zip(questions, values, strict=False)}
        feedback_services.submit_answers(person, session, survey, raw, now or utcnow())


# --- a session's details as its edit form sends them (enrolment under concurrency) ---------------


def details_of(training_session, **changes):
    """The details of a session as they are, as `update_session` takes them, with `changes`
    (for example `capacity=2`)."""
    from tot.sessions.local_times import local_wall
    from tot.sessions.scheduling import SessionDetails

    zone = training_session.zone
    details = {
        "programme": training_session.programme,
        "title": training_session.title,
        "starts_local": local_wall(training_session.starts_at, zone),
        "ends_local": local_wall(training_session.ends_at, zone),
        "region": training_session.region,
        "venue": training_session.venue,
        "capacity": training_session.capacity,
        "lead_facilitator": training_session.lead_facilitator,
        "description": training_session.description,
        "address": training_session.address,
        "timezone": training_session.timezone,
        "enrolment_opens_local": local_wall(training_session.enrolment_opens_at, zone),
        "enrolment_closes_local": local_wall(training_session.enrolment_closes_at, zone),
        "enrolment_mode": training_session.enrolment_mode,
        "co_facilitators": list(training_session.co_facilitators),
    }
    details.update(changes)
    return SessionDetails(**details)
