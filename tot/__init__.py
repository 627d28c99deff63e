"""The TOT platform: training-of-trainers programmes, sessions and outcomes for NGOs."""

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from tot import config as default_config
from tot import sqlite  # noqa: F401  (registers SQLite connection settings)
from tot.extensions import babel, csrf, db, limiter, login_manager, migrate


class DatabaseInteger(IntegerConverter):
    """`<int:…>` in URLs: ids beyond a database integer are simply not found (404), not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("TOT_INSTANCE_PATH") or _default_instance_path(),
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_mapping(default_config.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)

    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        proxied = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
        # Flask's documented way to add WSGI middleware; `setattr` because the type checker
        # refuses assigning to a method.
        setattr(app, "wsgi_app", proxied)  # noqa: B010

    app.url_map.converters["int"] = DatabaseInteger
    app.jinja_env.add_extension("jinja2.ext.do")
    _init_extensions(app)
    _register_blueprints(app)
    _connect_hooks()
    _register_hooks(app)

    from tot.cli import register_commands
    from tot.errors import register_error_handlers

    register_error_handlers(app)
    register_commands(app)
    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)
    return app


def _default_instance_path() -> str:
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "instance")


def _init_extensions(app: Flask) -> None:
    from tot import models  # noqa: F401  (every table, for Alembic and create_all)
    from tot.accounts.logins import load_user
    from tot.accounts.models import Visitor
    from tot.accounts.services import LOGIN_MESSAGE
    from tot.i18n import install_catalogues, select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_catalogues(app, babel)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = LOGIN_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    login_manager.anonymous_user = Visitor


def _register_blueprints(app: Flask) -> None:
    from tot.accounts.views import bp as accounts_bp
    from tot.admin.views import bp as admin_bp
    from tot.assessment.views import bp as assessment_bp
    from tot.audit.views import bp as audit_bp
    from tot.cascade.views import bp as cascade_bp
    from tot.certificates.views import bp as certificates_bp
    from tot.curriculum.views import bp as curriculum_bp
    from tot.dashboard.views import bp as dashboard_bp
    from tot.enrolment.views import bp as enrolment_bp
    from tot.feedback.views import bp as feedback_bp
    from tot.focusgroups.views import bp as focusgroups_bp
    from tot.learning.views import bp as learning_bp
    from tot.notifications.views import bp as notifications_bp
    from tot.privacy.views import bp as privacy_bp
    from tot.regions.views import bp as regions_bp
    from tot.reports.views import bp as reports_bp
    from tot.roleplay.views import bp as roleplay_bp
    from tot.scenarios.views import bp as scenarios_bp
    from tot.sessions.views import bp as sessions_bp
    from tot.site.views import bp as site_bp

    for blueprint in (
        site_bp,
        accounts_bp,
        dashboard_bp,
        admin_bp,
        regions_bp,
        learning_bp,
        curriculum_bp,
        scenarios_bp,
        sessions_bp,
        enrolment_bp,
        roleplay_bp,
        notifications_bp,
        feedback_bp,
        assessment_bp,
        focusgroups_bp,
        certificates_bp,
        cascade_bp,
        reports_bp,
        audit_bp,
        privacy_bp,
    ):
        app.register_blueprint(blueprint)


def _connect_hooks() -> None:
    """Import the modules whose functions answer the hooks of lower features (tot/hooks.py),
    so that every hook has its answers whatever else has been imported."""
    import tot.accounts.services
    import tot.assessment.services
    import tot.audit.services
    import tot.cascade.services
    import tot.certificates.services
    import tot.enrolment.panel
    import tot.enrolment.queries
    import tot.feedback.panel
    import tot.learning.progress
    import tot.roleplay.panel
    import tot.roleplay.services  # noqa: F401


def _register_hooks(app: Flask) -> None:
    from tot.navigation import inject_navigation
    from tot.permissions import enforce_access
    from tot.security import (
        add_hsts,
        add_security_headers,
        forbid_storing_pages,
        refuse_nul_in_path,
    )

    app.before_request(refuse_nul_in_path)
    app.before_request(enforce_access)
    app.after_request(add_security_headers)
    app.after_request(forbid_storing_pages)
    if app.config["SESSION_COOKIE_SECURE"]:
        app.after_request(add_hsts)
    app.context_processor(inject_navigation)

    from tot.formats import register as register_date_filters
    from tot.markdown import render_markdown
    from tot.sessions.templating import register as register_session_filters

    app.jinja_env.filters["markdown"] = render_markdown
    register_date_filters(app)
    register_session_filters(app)
