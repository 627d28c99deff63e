"""Seat quotas: a cap on the seats one region may take, and seats reserved for it for a while.

Adding, changing or removing a quota takes the session's seat lock first (`lock_session`) and
checks the quota against the seats as they are once it is held: a cap never below the seats the
region's people already hold, a live reservation never keeping seats that others hold. Seats it
frees then go to the waiting list, in order.
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from tot.accounts.models import User
from tot.audit import services as audit
from tot.audit.models import AuditAction
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.regions.models import Region
from tot.sessions.lifecycle import ensure_editable, lock_session
from tot.sessions.local_times import to_utc
from tot.sessions.models import SeatQuota, TrainingSession
from tot.sessions.seats import confirmed_by_region, seats_may_be_free
from tot.sessions.templating import session_time


def seats_kept(
    quotas, by_region: dict[int | None, int], now: datetime, *, but_for: int | None = None
) -> int:
    """Seats live reservations still keep for their regions (of every region but `but_for`):
    those reserved, less those the region's people already hold (`by_region`: confirmed seats)."""
    return sum(
        max(0, (quota.reserved or 0) - by_region.get(quota.region_id, 0))
        for quota in quotas
        if quota.reservation_live(now) and quota.region_id != but_for
    )


def check_quotas_fit(quotas: list[SeatQuota], capacity: int) -> None:
    """Refuse a capacity below what the quotas reserve, or below a region's cap."""
    reserved = sum(quota.reserved or 0 for quota in quotas)
    if reserved > capacity:
        raise DomainError(
            ngettext(
                "The quotas reserve %(num)d seat: the capacity cannot be lower.",
                "The quotas reserve %(num)d seats: the capacity cannot be lower.",
                reserved,
            ),
            field="capacity",
        )
    largest = max((quota.cap or 0 for quota in quotas), default=0)
    if largest > capacity:
        raise DomainError(
            ngettext(
                "A quota caps a region at %(num)d seat: the capacity cannot be lower.",
                "A quota caps a region at %(num)d seats: the capacity cannot be lower.",
                largest,
            ),
            field="capacity",
        )


def _check_quota_region(
    session: TrainingSession, quota: SeatQuota | None, region: Region | None
) -> Region:
    if region is None:
        raise DomainError(_("Choose a region."), field="region_id")
    if region.is_retired and (quota is None or region.id != quota.region_id):
        raise DomainError(_("This region is retired: choose another."), field="region_id")
    if any(other.region_id == region.id and other is not quota for other in session.quotas):
        raise DomainError(
            _("This session already has a quota for %(region)s.", region=region.label),
            field="region_id",
        )
    return region


def _check_held_by_region(
    session: TrainingSession, quota: SeatQuota | None, wanted: SeatQuota, now: datetime
) -> None:
    """A cap never below the seats the region's people hold; a live reservation never keeping
    seats that people of other regions hold, or that other reservations keep. `wanted` is the
    quota as asked for (not added to anything), `quota` the one it replaces, if any."""
    by_region = confirmed_by_region(session)
    holding = by_region.get(wanted.region_id, 0)
    if wanted.cap is not None and wanted.cap < holding:
        raise DomainError(
            ngettext(
                "%(num)d person from this region already has a confirmed seat: "
                "the cap cannot be lower.",
                "%(num)d people from this region already have a confirmed seat: "
                "the cap cannot be lower.",
                holding,
            ),
            field="cap",
        )
    if not wanted.reservation_live(now):
        return
    others = [other for other in session.quotas if other is not quota]
    taken_by_others = sum(by_region.values()) - holding
    at_most = (
        session.capacity
        - taken_by_others
        - seats_kept(others, by_region, now, but_for=wanted.region_id)
    )
    if (wanted.reserved or 0) > at_most:
        raise DomainError(
            ngettext(
                "At most %(num)d seat can be reserved for this region now: the others are "
                "taken or reserved for other regions.",
                "At most %(num)d seats can be reserved for this region now: the others are "
                "taken or reserved for other regions.",
                max(0, at_most),
            ),
            field="reserved",
        )


def _check_reserved(
    session: TrainingSession, quota: SeatQuota | None, cap: int | None, reserved: int
) -> None:
    if reserved < 1:
        raise DomainError(_("Reserve at least 1 seat, or leave it empty."), field="reserved")
    if cap is not None and reserved > cap:
        raise DomainError(
            _("A region cannot have more seats reserved than its cap."), field="reserved"
        )
    others = sum(other.reserved or 0 for other in session.quotas if other is not quota)
    if others + reserved > session.capacity:
        raise DomainError(
            ngettext(
                "All quotas together may reserve at most %(num)d seat; "
                "the others already reserve %(others)d.",
                "All quotas together may reserve at most %(num)d seats; "
                "the others already reserve %(others)d.",
                session.capacity,
                others=others,
            ),
            field="reserved",
        )


def _check_quota(
    session: TrainingSession,
    quota: SeatQuota | None,
    region: Region | None,
    cap: int | None,
    reserved: int | None,
    reserved_until_local: datetime | None,
    now: datetime,
) -> tuple[Region, datetime | None]:
    """Every quota rule, in the order of the form; returns the region and when reserved seats
    are released. Asked with the session's seat lock held."""
    checked_region = _check_quota_region(session, quota, region)
    if cap is None and reserved is None:
        raise DomainError(_("Give a cap, a number of reserved seats, or both."), field="cap")
    if cap is not None and not 1 <= cap <= session.capacity:
        raise DomainError(
            _(
                "Enter a cap from 1 to the session's capacity (%(capacity)d).",
                capacity=session.capacity,
            ),
            field="cap",
        )
    if reserved is not None:
        _check_reserved(session, quota, cap, reserved)
    until = None
    if reserved_until_local is not None:
        if reserved is None:
            raise DomainError(
                _("A date to release seats needs reserved seats."), field="reserved_until"
            )
        until = to_utc(reserved_until_local, session.zone, "reserved_until")
    wanted = SeatQuota(
        region_id=checked_region.id, cap=cap, reserved=reserved, reserved_until=until
    )
    _check_held_by_region(session, quota, wanted, now)
    return checked_region, until


def add_quota(
    session: TrainingSession,
    *,
    region: Region | None,
    cap: int | None = None,
    reserved: int | None = None,
    reserved_until_local: datetime | None = None,
    now: datetime | None = None,
    actor: User | None = None,
) -> SeatQuota:
    """Add a quota, and note it in the audit log; seats it frees go to the waiting list."""
    now = now or utcnow()
    lock_session(session)
    ensure_editable(session)
    checked_region, until = _check_quota(
        session, None, region, cap, reserved, reserved_until_local, now
    )
    quota = SeatQuota(region=checked_region, cap=cap, reserved=reserved, reserved_until=until)
    session.quotas.append(quota)
    db.session.flush()
    _record(actor, session, None, quota)
    seats_may_be_free(session)  # a reservation that lapses at once, or seats lapsed meanwhile
    return quota


def update_quota(
    quota: SeatQuota,
    *,
    region: Region | None,
    cap: int | None = None,
    reserved: int | None = None,
    reserved_until_local: datetime | None = None,
    now: datetime | None = None,
    actor: User | None = None,
) -> None:
    """Change a quota, and note it in the audit log; seats it frees go to the waiting list, by
    the enrolment rules."""
    now = now or utcnow()
    session = quota.session
    lock_session(session)
    ensure_editable(session)
    if quota not in session.quotas:
        raise DomainError(_("This quota has been removed meanwhile."))
    checked_region, until = _check_quota(
        session, quota, region, cap, reserved, reserved_until_local, now
    )
    before = _audited(quota)
    quota.region = checked_region
    quota.cap = cap
    quota.reserved = reserved
    quota.reserved_until = until
    db.session.flush()
    _record(actor, session, before, quota)
    seats_may_be_free(session)


def delete_quota(quota: SeatQuota, actor: User | None = None) -> None:
    """Remove a quota (if someone else has not just done so), noted in the audit log; the seats
    it kept go to the waiting list."""
    session = quota.session
    lock_session(session)
    ensure_editable(session)
    if quota in session.quotas:
        before = _audited(quota)
        session.quotas.remove(quota)
        db.session.flush()
        _record(actor, session, before, None)
    seats_may_be_free(session)


def _audited(quota: SeatQuota) -> dict:
    return {"region": quota.region, "cap": quota.cap, "reserved": quota.reserved}


def _record(
    actor: User | None, session: TrainingSession, before: dict | None, quota: SeatQuota | None
) -> None:
    """The audit log's entry of a quota added (before None), changed, or removed (quota None)."""
    after = _audited(quota) if quota is not None else None
    audit.record(AuditAction.QUOTA_CHANGED, actor=actor, target=session, before=before, after=after)


def quota_summary(session: TrainingSession) -> list[SeatQuota]:
    return sorted(session.quotas, key=lambda quota: (quota.region.label, quota.id))


def describe_quota(quota: SeatQuota, now: datetime | None = None) -> str:
    """ "At most 10 seats; 4 reserved until Mon, May 4, 2026, 09:00 (Dushanbe time)"."""
    now = now or utcnow()
    parts = []
    if quota.cap is not None:
        parts.append(ngettext("at most %(num)d seat", "at most %(num)d seats", quota.cap))
    if quota.reserved:
        if quota.reserved_until is None:
            parts.append(ngettext("%(num)d reserved", "%(num)d reserved", quota.reserved))
        elif quota.reservation_live(now):
            parts.append(
                ngettext(
                    "%(num)d reserved until %(when)s",
                    "%(num)d reserved until %(when)s",
                    quota.reserved,
                    when=session_time(quota.reserved_until, quota.session),
                )
            )
        else:
            parts.append(
                ngettext(
                    "%(num)d was reserved, now open to all",
                    "%(num)d were reserved, now open to all",
                    quota.reserved,
                )
            )
    return "; ".join(parts)
