"""Who may open which page: every endpoint declares it, and each role meets the declaration."""

import pytest

from tests.conftest import make_config, page
from tot import create_app
from tot.permissions import FRAMEWORK_RULES, Role, rule_for

ALL_ROLES = list(Role)

# (url, roles that may open it) for every page behind a login. Written out by hand, so that a
# change of access in the code must be matched here on purpose.
PROTECTED_PAGES = [
    ("/dashboard/admin", {Role.ADMIN}),
    ("/dashboard/staff", {Role.ADMIN, Role.STAFF}),
    ("/dashboard/facilitator", {Role.FACILITATOR}),
    ("/dashboard/participant", {Role.PARTICIPANT}),
    ("/admin/users", {Role.ADMIN}),
    ("/admin/users/new", {Role.ADMIN}),
    ("/admin/users/{me}", {Role.ADMIN}),
    ("/regions/", {Role.ADMIN, Role.STAFF}),
    ("/regions/{region}/edit", {Role.ADMIN, Role.STAFF}),
    ("/manage/programmes/", {Role.ADMIN, Role.STAFF}),
    ("/manage/programmes/new", {Role.ADMIN, Role.STAFF}),
    ("/scenarios/", {Role.ADMIN, Role.STAFF, Role.FACILITATOR}),
    ("/scenarios/new", {Role.ADMIN, Role.STAFF, Role.FACILITATOR}),
    ("/my/programmes", {Role.PARTICIPANT}),
    ("/sessions/new", {Role.ADMIN, Role.STAFF, Role.FACILITATOR}),
    ("/sessions/agenda", {Role.ADMIN, Role.STAFF, Role.FACILITATOR}),
    ("/sessions/manage", {Role.ADMIN, Role.STAFF}),
    ("/sessions/calendar", set(ALL_ROLES)),
    ("/my/sessions", {Role.PARTICIPANT}),
    ("/approvals", {Role.ADMIN, Role.STAFF, Role.FACILITATOR}),
    ("/focus-groups/", {Role.ADMIN, Role.STAFF}),
    ("/focus-groups/new", {Role.ADMIN, Role.STAFF}),
    ("/focus-groups/themes", {Role.ADMIN, Role.STAFF}),
    ("/manage/feedback-forms", {Role.ADMIN, Role.STAFF}),
    ("/manage/feedback", {Role.ADMIN, Role.STAFF}),
    ("/reports/self-assessment", {Role.ADMIN, Role.STAFF}),
    ("/notifications/", set(ALL_ROLES)),
    ("/profile", set(ALL_ROLES)),
    ("/profile/password", set(ALL_ROLES)),
]
PUBLIC_PAGES = [
    "/",
    "/privacy",
    "/login",
    "/register",
    "/healthz",
    "/programmes/",
    "/sessions/",
    "/testimonials",
]


def test_every_endpoint_declares_who_may_use_it(app):
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules() if rule_for(rule.endpoint) is None
    ]
    assert undeclared == []


@pytest.mark.usefixtures("_app")  # the schema exists
def test_the_declaration_check_catches_an_undeclared_endpoint(database_url):
    app = create_app(make_config(database_url))  # one of its own, to add a page to

    @app.route("/undeclared-for-test")
    def undeclared():
        return "should never be served"

    with app.app_context():
        assert rule_for("undeclared") is None
    # And enforcement fails closed: the page is refused.
    assert app.test_client().get("/undeclared-for-test").status_code == 403


def test_only_flask_static_files_are_declared_outside_the_views():
    assert set(FRAMEWORK_RULES) == {"static"}


@pytest.mark.parametrize(("url", "allowed"), PROTECTED_PAGES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_against_each_protected_page(client, login_as, region, url, allowed, role):
    me = login_as(role)
    response = client.get(url.format(me=me.id, region=region.id))
    if role in allowed:
        assert response.status_code == 200, (role, url)
        assert page(response).h1 is not None
    else:
        assert response.status_code == 403, (role, url)


@pytest.mark.parametrize(("url", "allowed"), PROTECTED_PAGES)
def test_visitors_are_sent_to_log_in(client, region, url, allowed):
    response = client.get(url.format(me=1, region=region.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_for_visitors(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_lands_on_its_own_dashboard(client, login_as, role):
    login_as(role)
    response = client.get("/dashboard/")
    assert response.headers["Location"] == f"/dashboard/{role.value}"


@pytest.mark.parametrize(
    ("role", "links", "hidden"),
    [
        (
            Role.PARTICIPANT,
            {"/dashboard/", "/profile", "/my/programmes", "/my/sessions"},
            {"/admin/users", "/regions/", "/sessions/agenda", "/approvals", "/focus-groups/"},
        ),
        (
            Role.FACILITATOR,
            {"/dashboard/", "/profile", "/sessions/agenda", "/approvals", "/scenarios/"},
            {"/admin/users", "/regions/", "/my/programmes", "/focus-groups/"},
        ),
        (
            Role.STAFF,
            {"/dashboard/", "/regions/", "/manage/programmes/", "/focus-groups/"},
            {"/admin/users", "/my/programmes"},
        ),
        (Role.ADMIN, {"/dashboard/", "/regions/", "/admin/users"}, set()),
    ],
)
def test_navigation_shows_what_the_role_can_do(client, login_as, role, links, hidden):
    login_as(role)
    nav = {a["href"] for a in page(client.get("/")).select("header nav a")}
    assert links <= nav
    assert not (hidden & nav)
