"""Command-line tasks: `flask create-user`, `flask seed-demo`."""

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from tot.accounts import services as accounts
from tot.accounts.services import MIN_PASSWORD_LENGTH
from tot.demo import seed
from tot.errors import DomainError
from tot.extensions import db
from tot.permissions import Role


def register_commands(app) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(promote_waitlists)


def _validate_password(ctx, param, value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"use at least {MIN_PASSWORD_LENGTH} characters")
    return value


@click.command("create-user")
@click.option("--email", prompt=True, help="The person's email address (their login).")
@click.option("--name", prompt="Full name", help="The person's full name.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.ADMIN.value,
    show_default=True,
    prompt=True,
)
@click.password_option(callback=_validate_password, help="Asked for when not given.")
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create an account (the first administrator, for instance)."""
    try:
        user = accounts.create_account(full_name=name, email=email, role=Role(role))
        user.set_password(password)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.role.value} account {user.email}.")


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Erase every row first, then load the demo data.")
@click.option("--if-empty", is_flag=True, help="Load only into an empty database; else do nothing.")
def seed_demo(force: bool, if_empty: bool) -> None:
    """Load fictional demo data, for trying the platform only."""
    try:
        empty = seed.database_is_empty()
    except SQLAlchemyError as error:
        raise click.ClickException(
            "The database is not ready: run `flask db upgrade` first."
        ) from error
    if not empty:
        if if_empty:
            click.echo("The database already has data; demo data not loaded.")
            return
        if not force:
            raise click.ClickException(
                "The database is not empty. Use --force to erase everything and load demo data."
            )
        seed.erase_everything()
    counts = seed.seed_demo()
    db.session.commit()
    current_app.logger.info("Demo data loaded: %s", counts)
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    click.echo(f"Demo data loaded: {summary}. Demo password: see README.")


@click.command("promote-waitlists")
def promote_waitlists() -> None:
    """Give seats freed by expired reservations to waiting lists (run it hourly, e.g. from cron)."""
    from tot.enrolment.services import promote_all_waitlists

    promoted = promote_all_waitlists()
    db.session.commit()
    click.echo(f"Promoted {promoted} people from waiting lists.")
