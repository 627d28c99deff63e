"""Command-line tasks: `flask create-user`, `flask seed-demo`, `flask promote-waitlists`,
`flask send-mail`, `flask backup`, `flask restore`."""

import signal
import time
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from tot import backups
from tot.accounts import services as accounts
from tot.accounts.services import MIN_PASSWORD_LENGTH
from tot.db_types import utcnow
from tot.demo import seed
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications import mailer, outbox
from tot.permissions import Role


def register_commands(app) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(promote_waitlists)
    app.cli.add_command(send_mail)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(purge_inactive)


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
    outbox.discard()  # the demo's people are fictional: what the services queued is never sent
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


@click.command("purge-inactive")
@click.option(
    "--months",
    type=click.IntRange(min=1),
    required=True,
    help="Erase accounts deactivated longer ago than this many months.",
)
def purge_inactive(months: int) -> None:
    """Erase the personal data of accounts deactivated more than MONTHS months ago."""
    from tot.privacy.services import purge_inactive as erase_inactive

    erased = erase_inactive(months)
    db.session.commit()
    click.echo(f"Erased {len(erased)} accounts deactivated more than {months} months ago.")


# --- email ---------------------------------------------------------------------------------------


@click.command("send-mail")
@click.option(
    "--watch",
    "interval",
    type=click.IntRange(min=1),
    metavar="SECONDS",
    help="Keep running, sending what is due every SECONDS (as a service).",
)
@click.option("--failed", "list_failed", is_flag=True, help="List the emails given up on.")
@click.option("--retry-failed", is_flag=True, help="Try the emails given up on again.")
def send_mail(interval: int | None, list_failed: bool, retry_failed: bool) -> None:
    """Send the emails due in the outbox, retrying failures later (once, or with --watch)."""
    if list_failed:
        for email in mailer.given_up():
            click.echo(_given_up_line(email))
        return
    if retry_failed:
        click.echo(f"{mailer.retry_given_up()} emails given up on will be tried again.")
    if not current_app.config.get("SMTP_HOST"):
        click.echo("Email is not configured (TOT_SMTP_HOST is not set): nothing to send.")
        return
    if interval is None:
        _report(mailer.send_due())
    else:
        _watch(interval)


def _watch(interval: int) -> None:
    """Send what is due every `interval` seconds until SIGTERM or Ctrl-C, which end the batch
    being sent first (an email cut off mid-send would be sent again)."""
    stopping: list[int] = []
    previous = {
        number: signal.signal(number, lambda number, frame: stopping.append(number))
        for number in (signal.SIGTERM, signal.SIGINT)
    }
    click.echo(f"Sending the emails due every {interval} s; stop with SIGTERM or Ctrl-C.")
    try:
        while not stopping:
            try:
                done = mailer.send_due()
                if done.did_something:
                    _report(done)
            except SQLAlchemyError:  # the database restarting: try again next time
                db.session.rollback()
                current_app.logger.exception("Could not read the outbox")
            db.session.remove()
            for _second in range(interval):
                if stopping:
                    break
                time.sleep(1)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo("Stopped.")


def _report(done: mailer.Round) -> None:
    click.echo(
        f"Sent {done.sent}; {done.to_retry} to retry later; {len(done.given_up)} given up; "
        f"{mailer.waiting()} waiting."
    )
    for email in done.given_up:
        click.echo(_given_up_line(email), err=True)


def _given_up_line(email) -> str:
    return (
        f'Given up: email {email.id} to {email.recipient}, "{email.subject}", '
        f"after {email.attempts} attempts: {email.last_error}"
    )


# --- backups -------------------------------------------------------------------------------------


@click.command("backup")
def backup() -> None:
    """Copy the SQLite database, while the app runs, into TOT_BACKUP_DIR (instance/backups)."""
    database = _sqlite_database()
    try:
        path = backups.backup(database, Path(current_app.config["BACKUP_DIR"]), utcnow())
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up the database to {path}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(file: Path, yes: bool) -> None:
    """Replace the SQLite database with FILE, a backup (keeping a copy of the database first)."""
    database = _sqlite_database()
    if file.resolve() == database.resolve():
        raise click.ClickException(f"{file} is the database itself.")
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        revision = backups.check_backup(file, (r.revision for r in script.walk_revisions()))
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    if not yes:
        click.confirm(
            f"Replace the database {database} with {file}? What changed since is lost.",
            abort=True,
        )
    db.session.remove()
    db.engine.dispose()  # this process lets go of the database while it is rewritten
    try:
        kept = backups.restore(file, database, Path(current_app.config["BACKUP_DIR"]), utcnow())
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {file}. The database as it was is kept in {kept}")
    if revision != script.get_current_head():
        click.echo("The backup comes from an earlier version: run `flask db upgrade` now.")


def _sqlite_database() -> Path:
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        raise click.ClickException(
            "The database is PostgreSQL: back it up with `pg_dump -Fc` and restore it with "
            "`pg_restore` (see README, Production deployment)."
        )
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise click.ClickException("Only a SQLite database file can be backed up here.")
    return Path(url.database)
