"""Wordings that many features share, so that each is written, and translated, once."""

from flask_babel import lazy_ngettext, ngettext


def too_long(limit: int) -> str:
    """The message beside a field whose text is longer than `limit` characters."""
    return ngettext("At most %(num)d character.", "At most %(num)d characters.", limit)


def too_long_lazy(limit: int):
    """The same, for a form's Length validator: worded when shown, in the reader's language."""
    return lazy_ngettext("At most %(num)d character.", "At most %(num)d characters.", limit)
