"""Where redirects may go."""

from typing import TypeGuard
from urllib.parse import urlsplit

from flask import request, url_for


def is_safe_redirect(target: str | None) -> TypeGuard[str]:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return False
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and all(ord(c) >= 32 for c in target)


def redirect_target(default_endpoint: str = "dashboard.home") -> str:
    """The `next` parameter when it is safe, else the default page."""
    target = request.values.get("next")
    return target if is_safe_redirect(target) else url_for(default_endpoint)
