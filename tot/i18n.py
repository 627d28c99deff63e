"""Which language a page is shown in."""

from flask import has_request_context, request
from flask_login import current_user

from tot.accounts.models import Language

LANGUAGE_COOKIE = "lang"
OFFERED = [language.value for language in Language]


def select_locale() -> str:
    """The person's saved preference, then the cookie, then the browser's wish, then English."""
    if not has_request_context():  # a command-line task
        return Language.ENGLISH.value
    if current_user and current_user.is_authenticated:
        return current_user.language.value
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in OFFERED:
        return cookie
    return request.accept_languages.best_match(OFFERED) or Language.ENGLISH.value


DEFAULT_TIMEZONE = "Asia/Bishkek"


def select_timezone() -> str:
    """Times that belong to no session are shown in the reader's region's zone."""
    if not has_request_context():
        return DEFAULT_TIMEZONE
    if current_user and current_user.is_authenticated and current_user.region is not None:
        return current_user.region.timezone
    return DEFAULT_TIMEZONE
