"""consult: a stakeholder consultation platform for the ENP security dimension."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from config import BASE_DIR, CONFIGS

__all__ = ["create_app"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    ``CONSULT_ENV`` picks development (default), testing or production
    settings; ``test_config`` overrides any of them (tests use it).
    """
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    env = (test_config or {}).get("ENV_NAME") or os.environ.get("CONSULT_ENV", "development")
    if env not in CONFIGS:
        raise SystemExit(
            f"consult: CONSULT_ENV={env!r} is not one of {', '.join(sorted(CONFIGS))}."
        )
    app.config.from_object(CONFIGS[env])
    if test_config:
        app.config.update(test_config)
    app.instance_path = str(app.config.get("INSTANCE_DIR") or app.instance_path)

    from consult.instance_secrets import fill_instance_secrets
    from consult.settings_check import (
        check_settings,
        check_storage_setting,
        refuse_development_under_wsgi_server,
    )

    refuse_development_under_wsgi_server(app)
    fill_instance_secrets(app)
    check_settings(app)
    check_storage_setting(app)
    _trust_proxies(app)
    _prepare_folders(app)
    _configure_logger(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _register_commands(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client address and scheme from their headers."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]


def _prepare_folders(app: Flask) -> None:
    """Create the upload folder and an SQLite database file private (0700, 0600)."""
    from consult.maintenance.modes import private_dir, touch_private

    private_dir(app.config["UPLOAD_DIR"])
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and uri != "sqlite://":
        path = uri.removeprefix("sqlite:///").split("?", 1)[0]
        private_dir(os.path.dirname(path) or ".")
        touch_private(path)


def _configure_logger(app: Flask) -> None:
    # Log lines name events and ids, never an input's content or a client address.
    from consult.logprivacy import install
    from consult.logsetup import configure_logging

    configure_logging(app)
    install(app.logger)  # libraries log client addresses: scrub them


def _register_extensions(app: Flask) -> None:
    from consult import models  # noqa: F401  (every table on the metadata)
    from consult.auth.session import init_login_manager
    from consult.auth.session_store import init_session_store
    from consult.database import configure_engine_events
    from consult.extensions import babel, csrf, db, limiter, migrate
    from consult.i18n import select_locale
    from consult.notifications import (
        events,  # noqa: F401  (the hook that tells people)
        mail_rounds,
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    init_login_manager(app)
    init_session_store(app)
    mail_rounds.init_app(app)  # a request that told someone queues a mail round
    with app.app_context():
        configure_engine_events(db.engine)


def _register_blueprints(app: Flask) -> None:
    from consult.admin.views import bp as admin_bp
    from consult.api.views import bp as api_bp
    from consult.auth.views import bp as auth_bp
    from consult.auth.views.api_tokens import bp as api_tokens_bp
    from consult.conversations.views import bp as conversations_bp
    from consult.digest.views import bp as digest_bp
    from consult.jobs.views import bp as jobs_bp
    from consult.main.views import bp as main_bp
    from consult.notifications.views import bp as notifications_bp
    from consult.organisations.views import bp as organisation_bp
    from consult.review.views import bp as review_bp
    from consult.submissions.views import bp as submissions_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(submissions_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(digest_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(organisation_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(conversations_bp)
    app.register_blueprint(notifications_bp)


def _register_hooks(app: Flask) -> None:
    from consult.main.errors import register_error_handlers
    from consult.main.headers import register_security_headers
    from consult.main.templating import register_template_helpers
    from consult.main.text_guard import register_text_guard

    register_error_handlers(app)
    register_security_headers(app)
    register_text_guard(app)
    register_template_helpers(app)


def _register_commands(app: Flask) -> None:
    from consult.cli import register_commands

    register_commands(app)
