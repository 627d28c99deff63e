"""The certificates rules: who earns one, issuing by hand, revoking, downloading and verifying.

A participant earns a certificate for a session when they hold a confirmed seat in it, have
completed its programme, and were present on at least CERTIFICATE_MIN_ATTENDANCE percent of the
session's days. Certificates are issued when the session is marked completed (the
`sessions.completed` hook), to each person who earned one and has none yet, so issuing twice
changes nothing. Staff may issue one by hand, with a reason, to someone who did not earn it by
the rule, and revoke one, with a reason: a certificate is never deleted.

The functions at the end answer the hooks of lower features (enrolment's pages, the session's
completion) and are the queries a dashboard may call (`certificates_of`, `certificates_in`,
`valid_counts`).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from tot.accounts.models import User
from tot.audit import services as audit
from tot.audit.models import AuditAction
from tot.certificates.models import Certificate
from tot.curriculum.models import Programme
from tot.db_types import utcnow
from tot.enrolment.hooks import certificates_in_session, certificates_of_person
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.enrolment.services import lock_session
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.models import ProgrammeProgress
from tot.notifications.services import send
from tot.sessions.access import can_manage
from tot.sessions.hooks import session_completed
from tot.sessions.models import TrainingSession
from tot.texts import too_long

DEFAULT_MIN_ATTENDANCE = 80  # percent of the session's days
REASON_MAX = 1000
# What may be a code: codes are 32 URL-safe characters, but whatever is looked up is simply found
# or not; only what cannot be one (spaces, slashes, too short or too long) is refused.
CODE_PATTERN = re.compile(r"^[^\s/?#]{16,64}$")


# --- who earns one -------------------------------------------------------------------------------


def min_attendance() -> int:
    """The share of a session's days (a percentage) a person must have been present on."""
    return int(current_app.config.get("CERTIFICATE_MIN_ATTENDANCE", DEFAULT_MIN_ATTENDANCE))


def attended_enough(present: int, days: int, threshold: int | None = None) -> bool:
    """Present on at least `threshold` percent of `days` (exactly: 4 of 5 days is 80%)."""
    threshold = min_attendance() if threshold is None else threshold
    return days > 0 and present * 100 >= threshold * days


@dataclass(frozen=True)
class Standing:
    """Where a person holding a seat stands toward the session's certificate."""

    enrolment: Enrolment
    present: int  # days marked present
    days: int  # the session's days
    completed: bool  # the programme is completed

    @property
    def attendance(self) -> int:
        """Percent of the session's days present, rounded down (never rounded up to pass)."""
        return self.present * 100 // self.days if self.days else 0

    @property
    def earned(self) -> bool:
        return self.completed and attended_enough(self.present, self.days)


def _present_days(session: TrainingSession, enrolment_ids: Iterable[int]) -> dict[int, int]:
    """{enrolment id: days marked present on the session's days}, in one query."""
    rows = db.session.execute(
        select(Attendance.enrolment_id, func.count(func.distinct(Attendance.day)))
        .where(
            Attendance.enrolment_id.in_(list(enrolment_ids)),
            Attendance.status == AttendanceStatus.PRESENT,
            Attendance.day.in_(session.days),
        )
        .group_by(Attendance.enrolment_id)
    )
    return dict(rows.tuples().all())


def _completed(programme_id: int, user_ids: Iterable[int]) -> set[int]:
    """The people among `user_ids` who have completed the programme, in one query."""
    return set(
        db.session.scalars(
            select(ProgrammeProgress.user_id).where(
                ProgrammeProgress.programme_id == programme_id,
                ProgrammeProgress.user_id.in_(list(user_ids)),
                ProgrammeProgress.completed_at.is_not(None),
            )
        )
    )


def standings(session: TrainingSession) -> list[Standing]:
    """Each person holding a seat in the session, with their attendance and completion, in three
    queries, by name."""
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .join(Enrolment.user)
            .where(
                Enrolment.session_id == session.id,
                Enrolment.status == EnrolmentStatus.CONFIRMED,
            )
            .order_by(func.lower(User.full_name), Enrolment.id)
            .options(joinedload(Enrolment.user))
        )
    )
    if not enrolments:
        return []
    present = _present_days(session, [e.id for e in enrolments])
    completed = _completed(session.programme_id, [e.user_id for e in enrolments])
    days = len(session.days)
    return [Standing(e, present.get(e.id, 0), days, e.user_id in completed) for e in enrolments]


def standing_of(enrolment: Enrolment) -> Standing:
    """One person's standing (for the page where staff issue a certificate by hand)."""
    session = enrolment.session
    present = _present_days(session, [enrolment.id]).get(enrolment.id, 0)
    completed = enrolment.user_id in _completed(session.programme_id, [enrolment.user_id])
    return Standing(enrolment, present, len(session.days), completed)


# --- issuing and revoking ------------------------------------------------------------------------


def _site_path(endpoint: str, **values) -> str:
    """A path of the site, with or without a request (the demo's seed has none)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _issue(
    enrolment: Enrolment,
    now: datetime,
    by: User | None = None,
    reason: str | None = None,
) -> Certificate:
    session, holder = enrolment.session, enrolment.user
    certificate = Certificate(
        user=holder,
        session=session,
        holder_name=holder.full_name,
        issued_at=now,
        issued_by_id=by.id if by is not None else None,
        issue_reason=reason,
    )
    db.session.add(certificate)
    audit.record(
        AuditAction.CERTIFICATE_ISSUED,
        actor=by,
        subject=holder,
        target=certificate,
        after={"session": session.id, "by_hand": by is not None},
    )
    send(
        holder,
        "certificate.issued",
        link=_site_path("enrolment.my_sessions"),
        session=session.title,
    )
    return certificate


def _certified_user_ids(session: TrainingSession) -> set[int]:
    """Who holds a certificate of the session, revoked or not (after the lock: as it is now)."""
    return set(
        db.session.scalars(select(Certificate.user_id).where(Certificate.session_id == session.id))
    )


def issue_earned(session: TrainingSession, now: datetime | None = None) -> list[Certificate]:
    """Issue a certificate to everyone in a completed session who earned one and has none yet
    (a revoked one is not issued again); return the new ones. Running it twice issues nothing
    more."""
    now = now or utcnow()
    if not session.is_completed:
        raise DomainError(_("Certificates are issued once the session is marked completed."))
    lock_session(session)  # one issuer at a time: a person never gets two
    certified = _certified_user_ids(session)
    issued = [
        _issue(standing.enrolment, now)
        for standing in standings(session)
        if standing.earned and standing.enrolment.user_id not in certified
    ]
    db.session.flush()
    return issued


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason: it is kept with the certificate."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(too_long(REASON_MAX), field="reason")
    return reason


def issue_refusal(
    actor: User, enrolment: Enrolment, existing: Certificate | None = None
) -> str | None:
    """Why `actor` may not issue a certificate by hand for this seat now, or None if they may."""
    if not actor.is_authenticated or not actor.is_staff:
        return _("Only staff issue a certificate by hand.")
    if not enrolment.session.is_completed:
        return _("Certificates are issued once the session is marked completed.")
    if not enrolment.is_confirmed:
        return _("Only a person who holds a seat in the session can receive its certificate.")
    if existing is not None and existing.is_revoked:
        return _("This person's certificate for the session was revoked: it is not issued again.")
    if existing is not None:
        return _("This person already has a certificate for the session.")
    return None


def certificate_for(enrolment: Enrolment) -> Certificate | None:
    """The certificate of the person of this seat for its session, revoked or not."""
    return db.session.scalar(
        select(Certificate).where(
            Certificate.session_id == enrolment.session_id,
            Certificate.user_id == enrolment.user_id,
        )
    )


def issue_by_hand(
    actor: User, enrolment: Enrolment, reason: str | None, now: datetime | None = None
) -> Certificate:
    """Staff issue a certificate to a person holding a seat who did not earn it by the rule (or
    before the rule saw it); the reason is kept with it."""
    now = now or utcnow()
    reason = _clean_reason(reason)
    refusal = issue_refusal(actor, enrolment)
    if refusal is None:
        lock_session(enrolment.session)
        db.session.refresh(enrolment, attribute_names=["status"])
        refusal = issue_refusal(actor, enrolment, certificate_for(enrolment))
    if refusal is not None:
        raise DomainError(refusal)
    certificate = _issue(enrolment, now, by=actor, reason=reason)
    db.session.flush()
    return certificate


def revoke_refusal(actor: User, certificate: Certificate) -> str | None:
    if not actor.is_authenticated or not actor.is_staff:
        return _("Only staff revoke a certificate.")
    if certificate.is_revoked:
        return _("This certificate is already revoked.")
    return None


def revoke(
    actor: User, certificate: Certificate, reason: str | None, now: datetime | None = None
) -> None:
    """Withdraw a certificate; the holder is told why. The row stays, and verifying its code
    says it was revoked, and when."""
    now = now or utcnow()
    reason = _clean_reason(reason)
    refusal = revoke_refusal(actor, certificate)
    if refusal is None:
        lock_session(certificate.session)
        db.session.refresh(certificate, attribute_names=["revoked_at"])
        refusal = revoke_refusal(actor, certificate)
    if refusal is not None:
        raise DomainError(refusal)
    certificate.revoke(actor, reason, now)
    audit.record(
        AuditAction.CERTIFICATE_REVOKED,
        actor=actor,
        subject=certificate.user,
        target=certificate,
        before={"revoked": False},
        after={"revoked": True},
    )
    send(
        certificate.user,
        "certificate.revoked",
        link=_site_path("enrolment.my_sessions"),
        session=certificate.session.title,
        reason=reason,
    )
    db.session.flush()


# --- reading: downloading and verifying ----------------------------------------------------------


def may_download(user: User, certificate: Certificate) -> bool:
    """The holder, staff, and the session's facilitators may download a certificate that is not
    revoked; nobody else."""
    if not user.is_authenticated or certificate.is_revoked:
        return False
    return user.id == certificate.user_id or can_manage(user, certificate.session)


def load(certificate_id: int) -> Certificate | None:
    """A certificate with what its PDF prints (holder, session, programme, place, facilitators)."""
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.id == certificate_id)
        .options(
            joinedload(Certificate.user),
            joinedload(Certificate.session).joinedload(TrainingSession.programme),
            joinedload(Certificate.session).joinedload(TrainingSession.region),
            joinedload(Certificate.session).joinedload(TrainingSession.lead_facilitator),
            joinedload(Certificate.session).selectinload(TrainingSession.co_facilitators),
        )
    )


def normalise_code(code: str | None) -> str:
    """A code as people type or paste it: surrounding spaces, or a whole verification address."""
    code = (code or "").strip()
    return code.rstrip("/").rsplit("/", 1)[-1]


def is_well_formed(code: str) -> bool:
    return bool(CODE_PATTERN.match(code))


def find_by_code(code: str | None) -> Certificate | None:
    """The certificate with this verification code, with its session and programme, or None."""
    code = normalise_code(code)
    if not is_well_formed(code):
        return None
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.code == code)
        .options(joinedload(Certificate.session).joinedload(TrainingSession.programme))
    )


def verification_path(certificate: Certificate) -> str:
    return _site_path("certificates.verify_code", code=certificate.code)


def verification_url(certificate: Certificate) -> str:
    """The public address that verifies the certificate (printed, and in its QR code)."""
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return base + verification_path(certificate)


def training_minutes(session: TrainingSession) -> int:
    """The session's training time: each of its days from the daily start to the daily end
    (a one-day session: from start to end)."""
    days = session.days
    if len(days) == 1:
        return max(0, int((session.ends_at - session.starts_at).total_seconds() // 60))
    start, end = session.local_start, session.local_end
    daily = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return max(0, daily) * len(days)


# --- for the roster, "My sessions", an export, and dashboards ------------------------------------


def certificates_in(session: TrainingSession) -> list[Certificate]:
    """Every certificate of a session (revoked ones too), by holder's name, in one query."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.session_id == session.id)
            .order_by(func.lower(Certificate.holder_name), Certificate.id)
        )
    )


def certificates_of(user: User) -> list[Certificate]:
    """A person's certificates, newest first, with their sessions and programmes, in one query."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
            .options(joinedload(Certificate.session).joinedload(TrainingSession.programme))
        )
    )


def valid_counts(session_ids: Iterable[int]) -> dict[int, int]:
    """{session id: certificates not revoked} of the given sessions, in one query."""
    rows = db.session.execute(
        select(Certificate.session_id, func.count())
        .where(Certificate.session_id.in_(list(session_ids)), Certificate.is_valid)
        .group_by(Certificate.session_id)
    )
    return dict(rows.tuples().all())


def counts_by_programme() -> dict[int, tuple[int, int]]:
    """{programme id: (certificates valid, revoked)} over all sessions, in one query."""
    revoked = case((Certificate.is_valid, 0), else_=1)
    rows = db.session.execute(
        select(Programme.id, func.count() - func.sum(revoked), func.sum(revoked))
        .join(TrainingSession, TrainingSession.programme_id == Programme.id)
        .join(Certificate, Certificate.session_id == TrainingSession.id)
        .group_by(Programme.id)
    )
    return {programme_id: (int(valid), int(gone)) for programme_id, valid, gone in rows}


@dataclass
class RosterCertificates:
    """The certificates of a session's roster, and what its reader may do with them."""

    training_session: TrainingSession
    reader: User
    by_person: dict[int, Certificate] = field(default_factory=dict)

    def of(self, user_id: int) -> Certificate | None:
        return self.by_person.get(user_id)

    @property
    def shown(self) -> bool:
        """A completed session has a certificate column; so has any with a certificate."""
        return self.training_session.is_completed or bool(self.by_person)

    @property
    def may_issue_earned(self) -> bool:
        return self.reader.is_staff and self.training_session.is_completed

    def may_issue(self, enrolment: Enrolment) -> bool:
        existing = self.by_person.get(enrolment.user_id)
        return issue_refusal(self.reader, enrolment, existing) is None

    def may_revoke(self, certificate: Certificate) -> bool:
        return revoke_refusal(self.reader, certificate) is None


# --- what lower features ask (tot/enrolment/hooks.py, tot/sessions/hooks.py) ---------------------


@certificates_of_person.connect
def certificates_by_session(user: User) -> dict[int, Certificate]:
    """{session id: certificate} of a person, for "My sessions", in one query."""
    return {
        certificate.session_id: certificate
        for certificate in db.session.scalars(
            select(Certificate).where(Certificate.user_id == user.id)
        )
    }


@certificates_in_session.connect
def roster_certificates(session: TrainingSession, *, reader: User) -> RosterCertificates:
    return RosterCertificates(
        training_session=session,
        reader=reader,
        by_person={c.user_id: c for c in certificates_in(session)},
    )


@session_completed.connect
def issue_on_completion(session: TrainingSession, *, now: datetime | None = None) -> int:
    """A session was marked completed: issue the certificates its people earned."""
    return len(issue_earned(session, now))
