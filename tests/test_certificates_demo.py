"""The demo's certificates (tot/demo/certificates.py), seeded after the rest of the demo by
`seed_demo`: earned ones for the graduates of completed sessions, one by hand, one revoked.

The demo loaded once for the run (`demo_app`) is only read here.
"""

import io

from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import log_in, page
from tot.accounts.models import User
from tot.certificates import services
from tot.certificates.models import Certificate
from tot.db_types import utcnow
from tot.extensions import db
from tot.learning import progress as learning_progress
from tot.learning import services as learning
from tot.learning.models import ActivityCompletion, ModuleCompletion, ProgrammeProgress
from tot.notifications.models import Notification
from tot.sessions.models import SessionStatus, TrainingSession

FEATURED = "participant@example.org"


def all_of(model) -> list:
    return list(db.session.scalars(select(model)))


def featured() -> User:
    return db.session.scalar(select(User).filter_by(email=FEATURED))


def test_the_graduates_of_completed_sessions_have_certificates(demo):
    certificates = all_of(Certificate)
    assert len([certificate for certificate in certificates if certificate.is_revoked]) == 1
    assert len(certificates) >= 8
    sessions = {certificate.session for certificate in certificates}
    assert len(sessions) >= 3
    assert all(session.status is SessionStatus.COMPLETED for session in sessions)
    now = utcnow()
    for certificate in certificates:
        session = certificate.session
        assert session.ends_at < certificate.issued_at < now
        assert certificate.holder_name == certificate.user.full_name
        assert len(certificate.code) == 32


def test_earned_certificates_follow_the_rule_and_none_is_missing(demo):
    for session in db.session.scalars(
        select(TrainingSession).where(TrainingSession.status == SessionStatus.COMPLETED)
    ):
        held = {c.user_id: c for c in services.certificates_in(session)}
        for standing in services.standings(session):
            certificate = held.get(standing.enrolment.user_id)
            if standing.earned:
                assert certificate is not None, standing.enrolment.user.full_name
            elif certificate is not None:
                assert certificate.by_hand
                assert certificate.issue_reason


def test_one_by_hand_for_the_featured_participant_and_one_revoked(demo):
    certificates = all_of(Certificate)
    (by_hand,) = [c for c in certificates if c.by_hand]
    assert by_hand.user == featured()
    assert by_hand.issue_reason
    assert by_hand.issued_by.email == "staff@example.org"
    assert not by_hand.is_revoked

    (revoked,) = [c for c in certificates if c.is_revoked]
    assert revoked.revoke_reason
    assert revoked.revoked_by.email == "staff@example.org"
    assert revoked.issued_at < revoked.revoked_at < utcnow()
    assert not revoked.by_hand


def test_holders_were_told_when_it_happened(demo):
    told = {
        (n.user_id, n.kind): n
        for n in all_of(Notification)
        if n.kind in ("certificate.issued", "certificate.revoked")
    }
    for certificate in all_of(Certificate):
        issued = told[(certificate.user_id, "certificate.issued")]
        assert issued.created_at == certificate.issued_at
        if certificate.is_revoked:
            revoked = told[(certificate.user_id, "certificate.revoked")]
            assert revoked.created_at == certificate.revoked_at
            assert revoked.params["reason"] == certificate.revoke_reason
    week_ago = utcnow().timestamp() - 7 * 24 * 3600
    for notification in told.values():
        if notification.created_at.timestamp() < week_ago:
            assert notification.read_at is not None


def test_progress_still_obeys_the_learning_rules(demo):
    done: dict[int, set[int]] = {}
    for completion in all_of(ActivityCompletion):
        done.setdefault(completion.user_id, set()).add(completion.activity_id)
    modules_done = {(c.user_id, c.module_id) for c in all_of(ModuleCompletion)}
    now = utcnow()
    for progress in all_of(ProgrammeProgress):
        complete = all((progress.user_id, m.id) in modules_done for m in progress.programme.modules)
        assert complete == (progress.completed_at is not None)
        assert progress.started_at < now
        if progress.completed_at is not None:
            assert progress.started_at < progress.completed_at < now
    for completion in all_of(ActivityCompletion):
        assert completion.completed_at < now
    # The featured participant still has somewhere to continue.
    user = featured()
    women = next(c.session.programme for c in all_of(Certificate) if c.user_id == user.id)
    assert learning.programme_progress_of(user, women).completed_at is None
    assert learning_progress.continue_where_left_off(user) is not None


def test_the_featured_participant_finds_and_downloads_theirs(demo_app):
    with demo_app.app_context():
        user = featured()
        (certificate,) = services.certificates_of(user)
        certificate_id, code, name = certificate.id, certificate.code, certificate.holder_name
        client = demo_app.test_client()
        log_in(client, user)
        soup = page(client.get("/my/sessions"))
        links = [a["href"] for a in soup.select("td.certificate a.is-issued")]
        assert links == [f"/certificates/{certificate_id}.pdf"]
        verify = soup.select_one("td.certificate a.certificate-verify")["href"]
        assert verify == f"/verify/{code}"
        assert client.get(verify).status_code == 200
        response = client.get(links[0])
        assert response.status_code == 200
        text = PdfReader(io.BytesIO(response.get_data())).pages[0].extract_text()
        assert name in text
        assert code in text
        db.session.rollback()
