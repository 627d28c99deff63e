"""Rules of focus groups, quotes and consent, and what the public may read of them.

Consent is the heart of this feature. A quote is published only when its consent is "anonymous"
or "named", and shows only the details its consent lists (which name, age group, occupation,
place); every change of consent is kept as a `ConsentChange`; a quote that loses its consent
is unfeatured at once, and one whose words change waits for its consent to be asked again.
Public pages never receive a `Quote`: they receive `Testimonial`s, built in `testimonials.py`,
which carry only what the speaker agreed to show.

The rules live in modules beside this one, and this module is their public face (import from
here):

    checks.py        text, dates, ids and regions from a form, shared by the others
    groups.py        focus groups and the choices their form offers
    quotes.py        quotes and their themes; the quotes to export
    consent.py       consent to publish and what it shows: its rules, changes and history
    testimonials.py  what the public reads, and the quotes featured on the home page
    reports.py       the themes report
"""

from tot.focusgroups.checks import (
    DATABASE_INTEGER_MAX,
    DEFAULT_ZONE,
    EARLIEST_DATE,
    clean,
    one_line,
    today_in,
)
from tot.focusgroups.consent import (
    CHOOSABLE,
    CONSENT_METHOD_MAX,
    PSEUDONYM_MAX,
    PUBLISHED,
    agreed_details,
    ask_again,
    change_consent,
    consent_history,
    withdraw_consent,
)
from tot.focusgroups.groups import (
    ATTENDEES_RANGE,
    NOTES_MAX,
    create_focus_group,
    facilitator_options,
    list_focus_groups,
    programme_options,
    quote_counts,
    session_options,
    update_focus_group,
)
from tot.focusgroups.quotes import (
    AGE_RANGE,
    OCCUPATION_MAX,
    QUOTE_MAX,
    SPEAKER_NAME_MAX,
    THEME_MAX,
    THEMES_PER_QUOTE,
    add_quote,
    normalise_theme,
    parse_themes,
    quotes_for_export,
    quotes_of,
    themes_named,
    update_quote,
)
from tot.focusgroups.reports import ThemeTable, themes_by_programme, themes_by_region
from tot.focusgroups.testimonials import (
    Testimonial,
    age_group_of,
    as_testimonials,
    attribution,
    feature,
    featured_quotes,
    published_programmes,
    published_quotes,
    published_theme_names,
    unfeature,
)

__all__ = [
    "AGE_RANGE",
    "ATTENDEES_RANGE",
    "CHOOSABLE",
    "CONSENT_METHOD_MAX",
    "DATABASE_INTEGER_MAX",
    "DEFAULT_ZONE",
    "EARLIEST_DATE",
    "NOTES_MAX",
    "OCCUPATION_MAX",
    "PSEUDONYM_MAX",
    "PUBLISHED",
    "QUOTE_MAX",
    "SPEAKER_NAME_MAX",
    "THEMES_PER_QUOTE",
    "THEME_MAX",
    "Testimonial",
    "ThemeTable",
    "add_quote",
    "age_group_of",
    "agreed_details",
    "as_testimonials",
    "ask_again",
    "attribution",
    "change_consent",
    "clean",
    "consent_history",
    "create_focus_group",
    "facilitator_options",
    "feature",
    "featured_quotes",
    "list_focus_groups",
    "normalise_theme",
    "one_line",
    "parse_themes",
    "programme_options",
    "published_programmes",
    "published_quotes",
    "published_theme_names",
    "quote_counts",
    "quotes_for_export",
    "quotes_of",
    "session_options",
    "themes_by_programme",
    "themes_by_region",
    "themes_named",
    "today_in",
    "unfeature",
    "update_focus_group",
    "update_quote",
    "withdraw_consent",
]
