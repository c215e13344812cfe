"""hallobot — Bottrop's city directory and voucher marketplace."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from flask import Flask, g, render_template, request
from werkzeug.routing import IntegerConverter

from config import BASE_DIR, INSTANCE_DIR, Config, config_from_env

__all__ = ["create_app"]

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def create_app(config: type[Config] | Config | None = None, **overrides) -> Flask:
    """The application factory: a short list of registration steps, no database work."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(config or config_from_env())
    app.config.update(overrides)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    ensure_secret_key(app)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def ensure_secret_key(app: Flask) -> None:
    """Use SECRET_KEY from the environment; in development generate one into instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("ENV_NAME") == "production":
        raise RuntimeError("SECRET_KEY must be set in production.")
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def configure_logging(app: Flask) -> None:
    if not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def register_extensions(app: Flask) -> None:
    from hallobot.accounts.service import load_user
    from hallobot.extensions import babel, csrf, db, limiter, login_manager, migrate
    from hallobot.i18n import select_locale, select_timezone
    from hallobot.search.index import register_index_hooks
    from hallobot.search.models import include_in_autogenerate

    db.init_app(app)
    register_index_hooks()  # the search index follows every committed directory change

    migrate.init_app(
        app,
        db,
        directory=str(BASE_DIR / "migrations"),
        render_as_batch=True,
        include_object=include_in_autogenerate,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(BASE_DIR / "hallobot" / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.user_loader(load_user)

    # make sure every model is known to the metadata (Alembic, create_all in tests)
    import hallobot.models  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from hallobot.accounts.routes import bp as accounts_bp
    from hallobot.api.routes import bp as api_bp
    from hallobot.directory.routes import bp as directory_bp

    # the moderation slice's route modules add their views to its two blueprints
    from hallobot.moderation import admin_routes, decision_routes, report_routes, routes  # noqa: F401
    from hallobot.moderation.blueprint import bp as moderation_bp
    from hallobot.moderation.blueprint import reports_bp
    from hallobot.owner.routes import bp as owner_bp
    from hallobot.pages.routes import bp as pages_bp
    from hallobot.search.routes import bp as search_bp
    from hallobot.vouchers.offer_routes import bp as offers_bp
    from hallobot.vouchers.routes import bp as vouchers_bp

    # ids in URLs fit the database's integer columns: a larger number is "not found"
    # (404), not an overflow in the database driver (500)
    app.url_map.converters["int"] = _DatabaseInteger

    for bp in (directory_bp, search_bp, accounts_bp, pages_bp, owner_bp, moderation_bp, reports_bp):
        app.register_blueprint(bp)
    app.register_blueprint(vouchers_bp)
    app.register_blueprint(offers_bp)
    app.register_blueprint(api_bp)


class _DatabaseInteger(IntegerConverter):
    regex = r"[0-9]+"  # ASCII digits: "١٢" is no id (Python's \d would take it)

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_errorhandlers(app: Flask) -> None:
    """German HTML error pages; JSON under /api/ (see ``api/errors.py``)."""
    from flask_wtf.csrf import CSRFError
    from werkzeug.exceptions import HTTPException

    from hallobot.api.errors import is_api_request, json_error
    from hallobot.extensions import db

    def render_error(code: int, error=None):
        if is_api_request():
            return json_error(code, error)
        return render_template(f"errors/{code}.html", error=error), code

    for code in (400, 401, 403, 404, 405, 413, 429):
        app.register_error_handler(code, lambda e, code=code: render_error(code, e))

    @app.errorhandler(HTTPException)
    def other_http_error(error):
        # any other status (406, 414, 431, …): JSON under /api/, else Werkzeug's own page
        if is_api_request() and error.code:
            return json_error(error.code, error)
        return error

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if is_api_request():
            return json_error(400, error)
        return render_template("errors/400.html", error=error, csrf=True), 400

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        return render_error(500, error)


def register_request_hooks(app: Flask) -> None:
    from hallobot.accounts.permissions import enforce_endpoint_access
    from hallobot.extensions import reset_write_mode, set_write_mode

    @app.before_request
    def _begin_writes():
        # Requests that change data open their SQLite transaction with BEGIN IMMEDIATE. This
        # runs first, so that the transaction the access check opens (loading the user) is
        # already the writing one.
        g._write_token = set_write_mode(request.method in UNSAFE_METHODS)

    app.before_request(enforce_endpoint_access)

    @app.teardown_request
    def _end_writes(exc=None):
        token = g.pop("_write_token", None)
        if token is not None:
            reset_write_mode(token)

    # built once: the tile host comes from configuration and does not change per request
    csp = (
        "default-src 'self'; img-src 'self' data: "
        + _tile_origin(app.config.get("MAP_TILE_URL", ""))
        + "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(self), camera=(), microphone=()"
        )
        if request.endpoint in {"accounts.login", "accounts.register", "accounts.account"}:
            response.headers["Cache-Control"] = "no-store"
        return response


def _tile_origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"


def register_template_helpers(app: Flask) -> None:
    from hallobot import web
    from hallobot.accounts import permissions
    from hallobot.accounts.models import ROLE_LABELS
    from hallobot.directory import fields
    from hallobot.directory.hours import local_now
    from hallobot.directory.presenters import state_label
    from hallobot.directory.service import active_offers
    from hallobot.money import format_money, money_input
    from hallobot.phone import tel_href

    app.jinja_env.filters.update(
        money=format_money,
        money_input=money_input,
        hhmm=web.hhmm,
        weekday_short=web.weekday_short,
        weekday_long=web.weekday_long,
        nl2br=web.nl2br,
        tel_href=tel_href,
        safe_url=web.safe_url,
    )
    app.jinja_env.globals.update(
        state_label=state_label,
        active_offers=lambda business: active_offers(business, local_now().date()),
        page_url=web.page_url,
        entry_field_declarations=fields.FIELDS,
        public_contact_fields=fields.PUBLIC_CONTACT,
        role_labels=ROLE_LABELS,
        current_language=web.current_language,
        can_edit=permissions.can_edit,
        is_moderator=permissions.is_moderator,
    )

    @app.context_processor
    def _moderation_count():
        from flask_login import current_user

        from hallobot.moderation.queue import pending_count

        if permissions.is_moderator(current_user):
            return {"moderation_pending": pending_count()}
        return {}

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def register_commands(app: Flask) -> None:
    from hallobot.cli import register

    register(app)
