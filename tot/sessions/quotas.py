"""Seat quotas: a cap on the seats one region may take, and seats reserved for it for a while."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.regions.models import Region
from tot.sessions.local_times import to_utc
from tot.sessions.models import SeatQuota, TrainingSession
from tot.sessions.seats import seats_may_be_free
from tot.sessions.templating import session_time


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
) -> tuple[Region, datetime | None]:
    """Every quota rule, in the order of the form; returns the region and when reserved seats
    are released."""
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
    if reserved_until_local is None:
        return checked_region, None
    if reserved is None:
        raise DomainError(
            _("A date to release seats needs reserved seats."), field="reserved_until"
        )
    return checked_region, to_utc(reserved_until_local, session.zone, "reserved_until")


def add_quota(
    session: TrainingSession,
    *,
    region: Region | None,
    cap: int | None = None,
    reserved: int | None = None,
    reserved_until_local: datetime | None = None,
) -> SeatQuota:
    checked_region, until = _check_quota(session, None, region, cap, reserved, reserved_until_local)
    quota = SeatQuota(region=checked_region, cap=cap, reserved=reserved, reserved_until=until)
    session.quotas.append(quota)
    db.session.flush()
    return quota


def update_quota(
    quota: SeatQuota,
    *,
    region: Region | None,
    cap: int | None = None,
    reserved: int | None = None,
    reserved_until_local: datetime | None = None,
) -> None:
    """Change a quota; seats it frees go to the waiting list, by the enrolment rules."""
    checked_region, until = _check_quota(
        quota.session, quota, region, cap, reserved, reserved_until_local
    )
    quota.region = checked_region
    quota.cap = cap
    quota.reserved = reserved
    quota.reserved_until = until
    db.session.flush()
    seats_may_be_free(quota.session)


def delete_quota(quota: SeatQuota) -> None:
    session = quota.session
    session.quotas.remove(quota)
    db.session.flush()
    seats_may_be_free(session)


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
