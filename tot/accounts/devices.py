"""A short name for the browser and the system a login came from, read from its User-Agent.

Only the names are kept (no versions, no address, no place): enough for a person to recognise
"Chrome on Android" among their logins, and no more about them than that.
"""

import re

# The first pattern that matches names the browser: Edge, Opera and the others also call
# themselves Chrome, and Chrome calls itself Safari, so the order matters.
BROWSERS = [
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Yandex Browser", re.compile(r"\bYaBrowser/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("UC Browser", re.compile(r"\bUCBrowser/")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chrome", re.compile(r"(\b|Headless)Chrome/|\bCriOS/")),
    ("Safari", re.compile(r"\bSafari/")),
]

# Android says Linux, and iPhones say Mac OS X: the first match wins here too.
SYSTEMS = [
    ("Android", re.compile(r"\bAndroid\b")),
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("macOS", re.compile(r"\bMacintosh\b|\bMac OS X\b")),
    ("Linux", re.compile(r"\bLinux\b")),
]


def _first_match(patterns: list[tuple[str, re.Pattern]], user_agent: str) -> str | None:
    return next((name for name, pattern in patterns if pattern.search(user_agent)), None)


def describe(user_agent: str | None) -> tuple[str | None, str | None]:
    """(browser, system) named from a User-Agent header; None for what it does not say."""
    user_agent = (user_agent or "")[:512]
    return _first_match(BROWSERS, user_agent), _first_match(SYSTEMS, user_agent)
