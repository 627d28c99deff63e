from collections import Counter

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tot.accounts.models import Gender, User
from tot.demo.people import DEMO_PASSWORD
from tot.extensions import db
from tot.permissions import Role
from tot.regions.models import Region


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_seed_demo_fills_an_empty_database(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output

    people = db.session.scalars(select(User)).all()
    by_email = {user.email: user for user in people}
    for email, role in [
        ("admin@example.org", Role.ADMIN),
        ("staff@example.org", Role.STAFF),
        ("facilitator@example.org", Role.FACILITATOR),
        ("participant@example.org", Role.PARTICIPANT),
    ]:
        assert by_email[email].role is role
        assert by_email[email].check_password(DEMO_PASSWORD)

    roles = Counter(user.role for user in people)
    assert roles[Role.FACILITATOR] >= 7
    assert roles[Role.PARTICIPANT] >= 151

    participants = [user for user in people if user.role is Role.PARTICIPANT]
    regions = {user.region for user in participants}
    assert len(regions) >= 8
    assert {region.country.value for region in regions} == {"KG", "TJ"}
    genders = Counter(user.gender for user in participants)
    assert genders[Gender.WOMAN] > genders[Gender.MAN] > 0
    assert len({user.age_group for user in participants}) == 5


def test_seed_demo_refuses_a_database_that_has_data(app, make_user):
    make_user(email="real.person@example.org")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert people_count() == 1


def test_seed_demo_if_empty_leaves_data_alone(app, make_user):
    make_user(email="real.person@example.org")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert people_count() == 1


def test_seed_demo_force_replaces_everything(app, make_user):
    make_user(email="real.person@example.org")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--force"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(User).filter_by(email="real.person@example.org")) is None
    assert db.session.scalar(select(User).filter_by(email="admin@example.org")) is not None
    assert db.session.scalar(select(func.count()).select_from(Region)) == 14


def test_create_user_asks_for_the_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "Boss@Example.org", "--name", "Boss", "--role", "admin"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(email="boss@example.org"))
    assert user.role is Role.ADMIN
    assert user.check_password(PASSWORD)


def test_create_user_refuses_a_short_password_and_a_used_email(app, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "--email", "a@example.org", "--name", "A", "--role", "staff"],
        input="short\nshort\n" * 3,
    )
    assert result.exit_code != 0
    make_user(email="taken@example.org")
    result = runner.invoke(
        args=["create-user", "--email", "TAKEN@example.org", "--name", "B", "--role", "staff"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert people_count() == 1
