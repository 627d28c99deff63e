"""The catalogues: every message of the code and templates is translated into ru, ky and tg.

These tests fail as soon as a change adds or rewords a message without translating it, so every
change ships its translations (`make messages` brings the catalogues up to date; then translate
what is new or marked fuzzy).
"""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.language_checks import english_words

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "tot" / "translations"
LANGUAGES = ["ru", "ky", "tg"]
# The keywords `make messages` extracts, besides Babel's own (_, gettext, ngettext, N_, …).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_ngettext": (1, 2), "ngettext_noop": (1, 2)}
# Each language's own letters: a Kyrgyz or Tajik text without any is likely Russian.
OWN_LETTERS = {"ky": set("өүң"), "tg": set("ғӣқӯҳҷ")}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _extract() -> tuple[dict[str, str | None], set[str]]:
    """{msgid: plural msgid or None} for every message marked in the code and the templates,
    and the files they were found in."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    messages, files = {}, set()
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        files.add(filename)
        if isinstance(message, tuple):
            messages[message[0]] = message[1]
        else:
            messages.setdefault(message, None)
    return messages, files


@pytest.fixture(scope="module")
def extracted():
    return _extract()


@pytest.fixture(scope="module")
def source_messages(extracted):
    return extracted[0]


def test_every_template_that_translates_is_read_by_the_extraction(extracted):
    # Jinja's extractor skips a template it cannot parse without a word: babel.cfg must name
    # every Jinja extension the templates use.
    templates = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"_\(|ngettext\(|{%-? trans", path.read_text())
    ]
    assert sorted(set(templates) - extracted[1]) == []


def _catalogue(language: str):
    with open(CATALOGUES / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


@pytest.fixture(scope="module", params=LANGUAGES)
def catalogue(request):
    return _catalogue(request.param)


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


def test_the_source_has_messages_in_templates_macros_and_code(source_messages):
    # A guard for the extraction itself: shared macros (in a folder starting with "_") count too.
    assert len(source_messages) > 1000
    assert "Previous" in source_messages  # templates/_macros/pagination.html
    assert source_messages["At most %(num)d character."] == "At most %(num)d characters."
    assert "This field is required." in source_messages  # WTForms, through tot/forms.py


def test_every_message_of_the_code_is_in_the_catalogue(source_messages, catalogue):
    in_catalogue = {_key(message) for message in catalogue if message.id}
    missing = sorted(set(source_messages) - in_catalogue)
    assert not missing, f"{catalogue.locale}: run `make messages` and translate: {missing[:10]}"


def test_the_catalogue_holds_no_message_the_code_no_longer_has(source_messages, catalogue):
    obsolete = sorted({_key(m) for m in catalogue if m.id} - set(source_messages))
    assert not obsolete, f"{catalogue.locale}: `make messages` drops these: {obsolete[:10]}"


def test_plural_messages_have_a_plural_in_the_catalogue(source_messages, catalogue):
    for message in catalogue:
        if message.id and source_messages.get(_key(message)) is not None:
            assert isinstance(message.id, tuple | list), f"{message.id!r} needs plural forms"


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [
        _key(message)
        for message in catalogue
        if message.id
        and (message.fuzzy or not all(message.string if message.pluralizable else [message.string]))
    ]
    assert not untranslated, f"{catalogue.locale}: {len(untranslated)}, e.g. {untranslated[:5]}"


def test_translations_keep_the_placeholders_and_every_plural_form(catalogue):
    # Babel's checkers: the same %(name)s placeholders as the msgid, and all plural forms.
    problems = [
        (_key(message), [str(error) for error in errors]) for message, errors in catalogue.check()
    ]
    assert not problems, f"{catalogue.locale}: {problems[:5]}"


def test_plural_forms_keep_the_number(catalogue):
    for message in catalogue:
        if message.id and message.pluralizable:
            wanted = set(PLACEHOLDER.findall(message.id[1]))
            for form in message.string:
                assert set(PLACEHOLDER.findall(form)) == wanted, (catalogue.locale, message.id)


def _words(text: str) -> list[str]:
    """English words, leaving out placeholders, tags, formats' names, addresses and links."""
    return english_words(PLACEHOLDER.sub(" ", re.sub(r"<[^>]+>", " ", text)))


def test_no_translation_is_left_in_english(catalogue):
    english = []
    for message in catalogue:
        if not message.id:
            continue
        forms = message.string if message.pluralizable else [message.string]
        english += [form for form in forms if _words(form)]
    assert not english, f"{catalogue.locale}: English words left in {english[:5]}"


@pytest.mark.parametrize("language", ["ky", "tg"])
def test_kyrgyz_and_tajik_are_written_with_their_own_letters(language):
    catalogue = _catalogue(language)
    longer = [m.string for m in catalogue if m.id and not m.pluralizable and len(m.string) > 60]
    own = [text for text in longer if OWN_LETTERS[language] & set(text.lower())]
    assert len(own) > 0.9 * len(longer), f"{language}: only {len(own)} of {len(longer)}"


# Messages with a number that is not a count of something, so no plural is needed.
NOT_COUNTS = re.compile(
    r"%\((page|pages|number|line|mark|score|rate|percent|done|total|before|after|left|first|last"
    r"|min|max|capacity)\)d"
)


def test_counts_go_through_ngettext(source_messages):
    """A number followed by a word ("%(count)d seats") is a count: it needs plural forms."""
    counted = [
        msgid
        for msgid, plural in source_messages.items()
        if plural is None
        and any(
            not NOT_COUNTS.fullmatch(match.group(1))
            for match in re.finditer(r"(%\(\w+\)d)\s+[a-z]", msgid)
        )
    ]
    assert not counted, counted


# --- the code marks its messages the way the extraction can see them ------------------------------

GETTEXT_CALLS = {"_", "_l", "gettext", "ngettext", "lazy_gettext", "lazy_ngettext", "N_"}
MESSAGE_TAKERS = {"flash", "DomainError", "ValidationError", "BulkFileError"}


def _python_files():
    return [path for path in (ROOT / "tot").rglob("*.py") if "demo" not in path.parts]


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def test_messages_are_literals_marked_for_translation():
    """gettext gets a plain literal (no f-string, no variable), and what the user reads is
    translated: a literal handed to flash() or DomainError() would stay in English."""
    problems = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name, first = _call_name(node), node.args[0]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name in GETTEXT_CALLS and not (
                isinstance(first, ast.Constant) and isinstance(first.value, str)
            ):
                problems.append(f"{where}: {name}() of something other than a literal")
            if name in MESSAGE_TAKERS and (
                isinstance(first, ast.JoinedStr)
                or (isinstance(first, ast.Constant) and isinstance(first.value, str))
            ):
                problems.append(f"{where}: {name}() of an untranslated string")
    assert not problems, problems
