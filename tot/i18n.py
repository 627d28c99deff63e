"""Which language a page is shown in, and finding its messages quickly."""

from enum import StrEnum
from zoneinfo import ZoneInfo

from flask import g, has_app_context, has_request_context, request
from flask_babel import Domain
from flask_login import current_user


class Language(StrEnum):
    """Languages of the interface. Each is named in its own language, so it is never translated."""

    ENGLISH = "en"
    RUSSIAN = "ru"
    KYRGYZ = "ky"
    TAJIK = "tg"

    @property
    def label(self) -> str:
        return LANGUAGE_NAMES[self]


LANGUAGE_NAMES = {
    Language.ENGLISH: "English",
    Language.RUSSIAN: "Русский",
    Language.KYRGYZ: "Кыргызча",
    Language.TAJIK: "Тоҷикӣ",
}


LANGUAGE_COOKIE = "lang"
OFFERED = [language.value for language in Language]


def reading_language() -> Language:
    """The language the current page is shown in (the default of a new account's language)."""
    return Language(select_locale())


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


def reader_zone() -> ZoneInfo:
    """The reader's time zone, for building instants (`datetime.combine(..., tzinfo=zone)`).

    Flask-Babel's `get_timezone()` gives a pytz zone, which only `localize` may attach: given as
    `tzinfo`, Bishkek's comes out at its 1924 local mean time, +4:58, not +6."""
    return ZoneInfo(select_timezone())


class Catalogues(Domain):
    """Flask-Babel's message domain, finding the page's catalogue once per request.

    Flask-Babel 4 looks the catalogue up afresh for every message (six reads of its request state
    and a locale name, about 6 µs), and a page translates hundreds. The catalogue found is kept
    where Flask-Babel's own request state has room for it (`babel_translations`, which
    `force_locale` clears and restores), so an email written in its recipient's language still
    gets the catalogue of that language.
    """

    def get_translations(self):
        state = g.get("_flask_babel") if has_app_context() else None
        if state is None:
            return super().get_translations()
        translations = getattr(state, "babel_translations", None)
        if translations is None:
            translations = state.babel_translations = super().get_translations()
        return translations


def install_catalogues(app, babel) -> None:
    """Called by create_app: Flask-Babel, and the templates' `_`, use `Catalogues`."""
    catalogues = babel.domain_instance = Catalogues()
    translations = catalogues.get_translations
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: translations().ugettext(message),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        pgettext=lambda context, message: translations().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
