"""HTTP response headers that every page carries, and requests refused before any view."""

from flask import abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def forbid_storing_pages(response):
    """`Cache-Control: no-store` on every response but static files, unless it set its own.

    Every page is made for the one person asking: a signed-in person's pages hold their data,
    and every page holds forms bearing the visitor's own CSRF token (the language switch at its
    foot, if nothing else). On a shared phone or in an internet café the next person must not
    find them in the browser's cache or history after the first has logged out. Static files,
    the same for everyone, are left to cache."""
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def refuse_nul_in_path():
    """`before_request`: an address whose path holds a NUL character leads nowhere (404).

    No real link holds one, and PostgreSQL can neither store nor search for it, so it must not
    reach a view that looks a code or token up. (Query strings and forms are read through forms,
    which take NUL out of what they are given: tot/forms.py.)"""
    if "\x00" in request.path:
        abort(404)


def add_hsts(response):
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
