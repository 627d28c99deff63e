"""Rules every template keeps."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
STRING = re.compile(r"\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")
BARE_SESSION = re.compile(r"(?<![.\w])session(?!\w)")


def test_a_training_session_is_never_called_session_in_a_template():
    """In Jinja `session` is Flask's own session: a training session is `training_session`."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {tag}"
        for path in TEMPLATES.rglob("*.html")
        for tag in TAG.findall(path.read_text())
        if BARE_SESSION.search(STRING.sub("", tag))
    ]
    assert found == []


def test_templates_ask_the_model_instead_of_comparing_status_strings():
    """What a status allows is decided in one place (the model or a service), never restated."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {tag}"
        for path in TEMPLATES.rglob("*.html")
        for tag in TAG.findall(path.read_text())
        if re.search(r"\.(status|role|viewer|state)(\.value)?\s*(==|!=|in)\s", tag)
    ]
    assert found == []
