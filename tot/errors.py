"""The domain error that services raise, and the pages shown when something goes wrong."""

from flask import jsonify, render_template, request

from tot.extensions import db


class DomainError(Exception):
    """A business rule said no. `field` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


ERROR_PAGES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/405.html",
    429: "errors/429.html",
    500: "errors/500.html",
}


PLAIN_500 = (
    "<!doctype html><html lang=en><title>Server error</title>"
    "<h1>Something went wrong on our side</h1><p>Please try again in a moment.</p></html>"
)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _render_error(code: int):
    if _wants_json():
        return jsonify(error=code), code
    return render_template(ERROR_PAGES[code]), code


def register_error_handlers(app) -> None:
    for code in (400, 403, 404, 405, 429):
        app.register_error_handler(code, lambda error, code=code: _render_error(code))

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        try:
            return _render_error(500)
        except Exception:  # the layout itself failed (database down?): a page with no dependencies
            app.logger.exception("The error page could not be rendered")
            return PLAIN_500, 500, {"Content-Type": "text/html; charset=utf-8"}
