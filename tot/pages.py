"""Small steps every blueprint's views take, written once: find or 404, commit and say so, undo
and say why, and the page of a long list."""

from typing import TypeVar

from flask import abort, flash, redirect, request

from tot.errors import DomainError
from tot.extensions import db

# Far beyond any list here, and it keeps OFFSET within what every database accepts.
MAX_PAGE = 10_000


T = TypeVar("T")


def found(thing: T | None) -> T:
    """The thing asked for by its id, or a 404."""
    if thing is None:
        abort(404)
    return thing


def done(message: str, url: str):
    """Commit the request's one transaction, say what happened, and go on to `url`."""
    db.session.commit()
    flash(message, "success")
    return redirect(url)


def refused(error: DomainError, url: str):
    """Undo the request's changes, say why they were refused, and go back to `url`."""
    db.session.rollback()
    flash(error.message, "error")
    return redirect(url)


def page_number() -> int:
    """The `page` the reader asked for, from 1 to MAX_PAGE whatever they typed."""
    number = request.args.get("page", 1, type=int)
    return min(max(number, 1), MAX_PAGE)


def paginate(statement, per_page: int):
    """One page of a list: an empty last page rather than an error past the end."""
    return db.paginate(statement, page=page_number(), per_page=per_page, error_out=False)
