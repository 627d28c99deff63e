"""Which language a page is shown in."""

from flask import request
from flask_login import current_user

from tot.accounts.models import Language

LANGUAGE_COOKIE = "lang"
OFFERED = [language.value for language in Language]


def select_locale() -> str:
    """The person's saved preference, then the cookie, then the browser's wish, then English."""
    if current_user and current_user.is_authenticated:
        return current_user.language.value
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in OFFERED:
        return cookie
    return request.accept_languages.best_match(OFFERED) or Language.ENGLISH.value
