"""The committed migrations build exactly the schema that the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from tests.conftest import make_config, scratch_database
from tot import create_app
from tot.extensions import db
from tot.regions.models import Region


@pytest.fixture
def empty_database_url(tmp_path_factory):
    """A brand-new empty database of the same kind as the suite's, dropped afterwards."""
    with scratch_database("migrations", tmp_path_factory) as url:
        yield url


def schema_differences() -> list:
    """How the database's schema differs from what the models describe (empty: not at all)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def assert_reference_regions() -> None:
    regions = db.session.scalars(select(Region)).all()
    assert len(regions) == 14
    assert {region.country.value for region in regions} == {"KG", "TJ"}
    naryn = next(region for region in regions if region.name == "Naryn Region")
    assert (naryn.name_ru, naryn.name_ky, naryn.name_tg) == (
        "Нарынская область",
        "Нарын облусу",
        "Вилояти Нарин",
    )
    db.session.remove()  # end the read transaction: PostgreSQL would make DROP TABLE wait


def test_upgrading_an_empty_database_reproduces_the_models(empty_database_url):
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade()
        assert schema_differences() == []
        assert_reference_regions()  # the reference regions come with the schema

        # The whole history can be rolled back ...
        downgrade(revision="base")
        with db.engine.connect() as connection:
            remaining = db.inspect(connection).get_table_names()
        assert set(remaining) <= {"alembic_version"}
        db.session.remove()

        # ... and played again, to the same schema: every downgrade undid all its upgrade did.
        upgrade()
        assert schema_differences() == []
        assert_reference_regions()
        db.engine.dispose()


def test_the_test_schema_has_the_reference_regions(app):
    assert db.session.scalar(select(func.count()).select_from(Region)) == 14


def test_the_migrations_of_this_year_go_down_and_up_again_with_data_in_the_database(
    empty_database_url,
):
    """A real database holds rows: a migration that rebuilds a table others point to (SQLite's
    way of changing a column) must keep them, and so must its downgrade."""
    from tot.accounts.models import User
    from tot.demo import seed
    from tot.focusgroups.models import Quote

    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade()
        seed.seed_demo()
        db.session.commit()

        def counts():
            totals = tuple(
                db.session.scalar(select(func.count()).select_from(model))
                for model in (User, Quote)
            )
            db.session.remove()
            return totals

        before = counts()
        assert before[1] > 0  # there are quotes, with their consent changes, to rebuild around
        downgrade(revision="0006_outcomes")
        upgrade()
        assert schema_differences() == []
        assert counts() == before
        db.engine.dispose()
