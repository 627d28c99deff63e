"""Every page of every role, shown in Russian, Kyrgyz or Tajik, holds no English interface text.

The demo is loaded once for this module and everything people wrote in it is rewritten in
Cyrillic letters (tests/language_checks.py), so that any Latin word left on a page is interface
text that was never marked for translation, or a translation that is missing. The crawl follows
the links of each page, a few pages per route, starting from each role's landing pages.
"""

from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect

from tests.conftest import log_in
from tests.language_checks import english_in_text_file, english_on_page
from tot.accounts.models import User
from tot.certificates.models import Certificate
from tot.enrolment.models import Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.i18n import Language
from tot.learning.models import Reflection
from tot.roleplay.models import RoleAssignment, RolePlayRun
from tot.sessions.models import TrainingSession

PAGES_PER_ROUTE = 3
DEMO_ACCOUNTS = {
    "participant": "participant@example.org",
    "facilitator": "facilitator@example.org",
    "staff": "staff@example.org",
    "admin": "admin@example.org",
}
# Routes no link leads to: a one-time link from an email, a calendar app's feed, a health check.
NOT_LINKED = {"accounts.set_password", "sessions.feed", "site.healthz"}


@pytest.fixture
def demo(cyrillic_demo_app):
    with cyrillic_demo_app.app_context():
        yield cyrillic_demo_app


def _start_pages() -> list[str]:
    """Landing pages, every session and role-play run (their panels differ by state), the roster
    of a session with certificates (others have no certificate column), and the pages a form
    shows again when something was wrong (no link leads to them)."""
    sessions = db.session.scalars(select(TrainingSession.id).order_by(TrainingSession.id)).all()
    certified = db.session.scalar(select(Certificate.session_id).order_by(Certificate.id).limit(1))
    runs = db.session.scalars(select(RolePlayRun)).all()
    pending = db.session.scalar(select(Enrolment.id).filter_by(status=EnrolmentStatus.PENDING))
    reflection = db.session.scalar(select(Reflection.id))
    return [
        "/",
        "/dashboard/",
        "/profile",
        "/notifications",
        *(f"/sessions/{id}" for id in sessions),
        f"/sessions/{certified}/roster",
        *(f"/roleplays/{run.id}{page}" for run in runs for page in ("", "/cards", "/mine")),
        *(f"/sessions/{run.session_id}/roleplays" for run in runs),
        f"/enrolments/{pending}/reject",
        f"/reflections/{reflection}",
    ]


def crawl(app, role: str, language: str) -> tuple[dict[str, list[str]], set[str]]:
    """{url: English texts} of the pages reached as `role` in `language`, and the routes seen."""
    client = app.test_client()
    client.set_cookie("lang", language)
    if role != "visitor":
        user = db.session.scalar(select(User).filter_by(email=DEMO_ACCOUNTS[role]))
        user.language = Language(language)
        db.session.commit()
        log_in(client, user)
    adapter = app.url_map.bind("localhost")
    start = _start_pages()
    queue, seen, per_route = deque(start), set(start), Counter()
    english, routes = {}, set()
    while queue:
        url = queue.popleft()
        try:
            endpoint, _arguments = adapter.match(urlsplit(url).path)
        except (NotFound, RequestRedirect):
            continue
        if per_route[endpoint] >= PAGES_PER_ROUTE and url not in start:
            continue
        per_route[endpoint] += 1
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302, 303, 308):
            routes.add(endpoint)
            queue.append(response.headers["Location"])
            continue
        if response.status_code != 200:
            continue
        routes.add(endpoint)
        content_type = response.content_type
        if not content_type.startswith("text/"):
            continue  # a spreadsheet file: its header is the same as the CSV's
        body = response.get_data(as_text=True)
        if content_type.startswith("text/html"):
            found = english_on_page(body)
            for link in _links(body):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        else:
            found = english_in_text_file(body, content_type)
        if found:
            english[url] = found
    return english, routes


def _links(html: str) -> list[str]:
    links = []
    for anchor in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        parts = urlsplit(anchor["href"])
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith("/static/"):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


ROLES = ["visitor", "participant", "facilitator", "staff", "admin"]


@pytest.fixture(scope="module")
def crawls(cyrillic_demo_app):
    """Each (role, language) crawled once for the module: {(role, language): crawl result}."""
    done = {}

    def result(role: str, language: str):
        if (role, language) not in done:
            with cyrillic_demo_app.app_context():
                done[role, language] = crawl(cyrillic_demo_app, role, language)
        return done[role, language]

    return result


@pytest.mark.parametrize("role", ROLES)
def test_no_english_on_any_page_in_russian(crawls, role):
    english, _routes = crawls(role, "ru")
    assert not english, english


@pytest.mark.parametrize("language", ["ky", "tg"])
@pytest.mark.parametrize("role", ["visitor", "participant"])
def test_participants_read_kyrgyz_and_tajik_everywhere(crawls, role, language):
    english, _routes = crawls(role, language)
    assert not english, english


def test_the_crawl_reaches_every_page_a_link_leads_to(demo, crawls):
    reached = set()
    for role in ROLES:
        reached |= crawls(role, "ru")[1]
    pages = {
        rule.endpoint
        for rule in demo.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    }
    assert pages - reached <= NOT_LINKED, sorted(pages - reached - NOT_LINKED)


@pytest.mark.parametrize("language", ["ru", "ky", "tg"])
def test_a_player_reads_their_role_card_in_their_language(demo, language):
    run = db.session.scalar(select(RolePlayRun))
    player = db.session.get(User, db.session.scalar(select(RoleAssignment.user_id)))
    player.language = Language(language)
    db.session.commit()
    client = demo.test_client()
    log_in(client, player)
    response = client.get(f"/roleplays/{run.id}/mine")
    assert response.status_code == 200
    assert english_on_page(response.get_data(as_text=True)) == []
