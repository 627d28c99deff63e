"""Everything the platform holds about one person, as the JSON file they may download.

A section per feature, each a plain read of that person's rows (a query or two, whatever the
amount). Only the person's own data: of others, at most a count (a cascade report's co-trainers).
Anonymous feedback is not here, because nothing links an answer to its author: only that they
answered (their receipts). Secrets (the password's hash, the calendar feed's address) are not
data about the person: only whether they exist.
"""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tot.accounts.models import PrivacyAgreement, User
from tot.assessment.models import AssessmentRating, SelfAssessment
from tot.audit import services as audit
from tot.cascade.models import CascadeTraining
from tot.certificates.models import Certificate
from tot.curriculum.models import Programme
from tot.db_types import utcnow
from tot.enrolment.models import Enrolment
from tot.extensions import db
from tot.feedback.models import FeedbackReceipt, SessionSurvey
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)
from tot.notifications.models import Notification, OutgoingEmail
from tot.notifications.services import message
from tot.roleplay.models import RoleAssignment, RolePlayGroup, RolePlayRun
from tot.sessions.models import CalendarToken, TrainingSession


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(statement) -> list:
    return list(db.session.scalars(statement))


def personal_data(person: User) -> dict:
    """The whole file: a section per feature."""
    return {
        "generated_at": _when(utcnow()),
        "profile": profile(person),
        "enrolments": enrolments(person),
        "learning": learning(person),
        "self_assessments": self_assessments(person),
        "role_plays": role_plays(person),
        "feedback_given": feedback_given(person),
        "certificates": certificates(person),
        "cascade_reports": cascade_reports(person),
        "notifications": notifications(person),
        "emails": emails(person),
        "audit_entries": audit_entries(person),
    }


def profile(person: User) -> dict:
    agreements = _rows(
        select(PrivacyAgreement)
        .where(PrivacyAgreement.user_id == person.id)
        .order_by(PrivacyAgreement.agreed_at)
    )
    calendar = db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == person.id))
    return {
        "id": person.id,
        "full_name": person.full_name,
        "email": person.email,
        "role": person.role.value,
        "region": person.region.name if person.region else None,
        "gender": person.gender.value if person.gender else None,
        "age_group": person.age_group.value if person.age_group else None,
        "language": person.language.value,
        "phone": person.phone,
        "active": person.active,
        "has_password": person.has_password,
        "created_at": _when(person.created_at),
        "updated_at": _when(person.updated_at),
        "deactivated_at": _when(person.deactivated_at),
        "last_login_at": _when(person.last_login_at),
        "privacy_agreements": [
            {"notice_version": a.notice_version, "agreed_at": _when(a.agreed_at)}
            for a in agreements
        ],
        "calendar_feed_since": _when(calendar.created_at) if calendar else None,
    }


def enrolments(person: User) -> list[dict]:
    rows = _rows(
        select(Enrolment)
        .where(Enrolment.user_id == person.id)
        .order_by(Enrolment.applied_at, Enrolment.id)
        .options(joinedload(Enrolment.session), selectinload(Enrolment.attendance))
    )
    return [
        {
            "session": {"id": e.session_id, "title": e.session.title},
            "status": e.status.value,
            "source": e.source.value,
            "applied_at": _when(e.applied_at),
            "status_changed_at": _when(e.status_changed_at),
            "confirmed_at": _when(e.confirmed_at),
            "waitlisted_at": _when(e.waitlisted_at),
            "withdrawn_at": _when(e.withdrawn_at),
            "rejected_at": _when(e.rejected_at),
            "reason": e.reason,
            "attendance": [
                {"day": _when(a.day), "status": a.status.value}
                for a in sorted(e.attendance, key=lambda a: a.day)
            ],
        }
        for e in rows
    ]


def learning(person: User) -> dict:
    """Progress through programmes, modules and activities, knowledge checks, reflections."""
    mine = person.id
    programmes = _rows(
        select(ProgrammeProgress)
        .where(ProgrammeProgress.user_id == mine)
        .order_by(ProgrammeProgress.started_at)
        .options(joinedload(ProgrammeProgress.programme))
    )
    modules = _rows(
        select(ModuleCompletion)
        .where(ModuleCompletion.user_id == mine)
        .order_by(ModuleCompletion.completed_at)
        .options(joinedload(ModuleCompletion.module))
    )
    activities = _rows(
        select(ActivityCompletion)
        .where(ActivityCompletion.user_id == mine)
        .order_by(ActivityCompletion.completed_at)
        .options(joinedload(ActivityCompletion.activity))
    )
    return {
        "programmes": [
            {
                "programme": p.programme.title,
                "started_at": _when(p.started_at),
                "last_active_at": _when(p.last_active_at),
                "completed_at": _when(p.completed_at),
            }
            for p in programmes
        ],
        "modules_completed": [
            {"module": m.module.title, "completed_at": _when(m.completed_at)} for m in modules
        ],
        "activities_completed": [
            {"activity": a.activity.title, "completed_at": _when(a.completed_at)}
            for a in activities
        ],
        "knowledge_checks": knowledge_checks(person),
        "reflections": reflections(person),
    }


def knowledge_checks(person: User) -> list[dict]:
    rows = _rows(
        select(CheckAttempt)
        .where(CheckAttempt.user_id == person.id)
        .order_by(CheckAttempt.submitted_at, CheckAttempt.id)
    )
    return [
        {
            "activity_id": c.activity_id,
            "score_percent": c.score,
            "passed": c.passed,
            "answers": c.answers,
            "submitted_at": _when(c.submitted_at),
        }
        for c in rows
    ]


def reflections(person: User) -> list[dict]:
    rows = _rows(
        select(Reflection)
        .where(Reflection.user_id == person.id)
        .order_by(Reflection.created_at, Reflection.id)
        .options(joinedload(Reflection.activity))
    )
    return [
        {
            "activity": r.activity.title,
            "text": r.text,
            "created_at": _when(r.created_at),
            "updated_at": _when(r.updated_at),
        }
        for r in rows
    ]


def self_assessments(person: User) -> list[dict]:
    assessments = list(
        db.session.execute(
            select(SelfAssessment, Programme.title)
            .join(Programme, Programme.id == SelfAssessment.programme_id)
            .where(SelfAssessment.user_id == person.id)
            .order_by(SelfAssessment.submitted_at)
            .options(selectinload(SelfAssessment.ratings).joinedload(AssessmentRating.statement))
        ).tuples()
    )
    return [
        {
            "programme": title,
            "phase": a.phase.value,
            "submitted_at": _when(a.submitted_at),
            "ratings": [{"statement": r.statement.text, "rating": r.rating} for r in a.ratings],
        }
        for a, title in assessments
    ]


def role_plays(person: User) -> list[dict]:
    rows = _rows(
        select(RoleAssignment)
        .where(RoleAssignment.user_id == person.id)
        .order_by(RoleAssignment.id)
        .options(
            joinedload(RoleAssignment.role),
            joinedload(RoleAssignment.group)
            .joinedload(RolePlayGroup.run)
            .joinedload(RolePlayRun.scenario),
            joinedload(RoleAssignment.group)
            .joinedload(RolePlayGroup.run)
            .joinedload(RolePlayRun.session),
        )
    )
    return [
        {
            "session": r.group.run.session.title,
            "scenario": r.group.run.scenario.title,
            "group": r.group.number,
            "role": r.role.name if r.role else None,
        }
        for r in rows
    ]


def feedback_given(person: User) -> list[dict]:
    """Only that the person answered a session's survey: their answers cannot be told apart."""
    rows = db.session.execute(
        select(TrainingSession.id, TrainingSession.title)
        .join(SessionSurvey, SessionSurvey.session_id == TrainingSession.id)
        .join(FeedbackReceipt, FeedbackReceipt.survey_id == SessionSurvey.id)
        .where(FeedbackReceipt.user_id == person.id)
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    return [{"session": {"id": id, "title": title}, "answered": True} for id, title in rows]


def certificates(person: User) -> list[dict]:
    rows = _rows(
        select(Certificate)
        .where(Certificate.user_id == person.id)
        .order_by(Certificate.issued_at, Certificate.id)
        .options(joinedload(Certificate.session))
    )
    return [
        {
            "session": {"id": c.session_id, "title": c.session.title},
            "holder_name": c.holder_name,
            "verification_code": c.code,
            "issued_at": _when(c.issued_at),
            "issued_by_hand": c.by_hand,
            "issue_reason": c.issue_reason,
            "revoked_at": _when(c.revoked_at),
            "revoke_reason": c.revoke_reason,
        }
        for c in rows
    ]


def cascade_reports(person: User) -> list[dict]:
    rows = _rows(
        select(CascadeTraining)
        .where(CascadeTraining.graduate_id == person.id)
        .order_by(CascadeTraining.held_on, CascadeTraining.id)
        .options(joinedload(CascadeTraining.region), selectinload(CascadeTraining.co_trainers))
    )
    return [
        {
            "held_on": _when(t.held_on),
            "region": t.region.name,
            "settlement": t.settlement,
            "topic": t.topic,
            "hours": t.hours,
            "people": {
                "women": t.women,
                "men": t.men,
                "other_genders": t.other_genders,
                "age_18_24": t.age_18_24,
                "age_25_34": t.age_25_34,
                "age_35_44": t.age_35_44,
                "age_45_54": t.age_45_54,
                "age_55_plus": t.age_55_plus,
                "age_unknown": t.age_unknown,
            },
            "co_trainers": len(t.co_trainers),
            "notes": t.notes,
            "status": t.status.value,
            "review_comment": t.review_comment,
            "created_at": _when(t.created_at),
            "updated_at": _when(t.updated_at),
        }
        for t in rows
    ]


def notifications(person: User) -> list[dict]:
    rows = _rows(
        select(Notification)
        .where(Notification.user_id == person.id)
        .order_by(Notification.created_at, Notification.id)
    )
    return [
        {
            "message": message(n),
            "link": n.link,
            "created_at": _when(n.created_at),
            "read_at": _when(n.read_at),
        }
        for n in rows
    ]


def emails(person: User) -> list[dict]:
    """The emails sent, or waiting to be sent, to the person's address."""
    rows = _rows(
        select(OutgoingEmail)
        .where(OutgoingEmail.recipient == person.email)
        .order_by(OutgoingEmail.created_at, OutgoingEmail.id)
    )
    return [
        {
            "subject": e.subject,
            "body": e.body,
            "created_at": _when(e.created_at),
            "sent_at": _when(e.sent_at),
        }
        for e in rows
    ]


def audit_entries(person: User) -> list[dict]:
    """What the audit log holds about the person: what was done, when, and by whom in which
    role (staff members' names are theirs, not the person's)."""
    return [
        {
            "at": _when(entry.at),
            "action": entry.action.value,
            "by": _by(entry, person),
            "target": entry.target or None,
            "before": _codes(entry.before),
            "after": _codes(entry.after),
        }
        for entry in audit.entries_about(person)
    ]


def _by(entry, person: User) -> str:
    if entry.actor_id is None:
        return "platform"
    if entry.actor_id == person.id:
        return "you"
    return "staff"


def _codes(values: dict | None) -> dict | None:
    """The values as codes (a worded value's wording is the interface's, not the person's)."""
    if values is None:
        return None
    return {k: v.get("value") if isinstance(v, dict) else v for k, v in values.items()}
