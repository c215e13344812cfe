"""Impressum, Datenschutz (content from config), /healthz and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from sqlalchemy import text

from hallobot.extensions import db
from hallobot.i18n import LANG_COOKIE
from hallobot.web import safe_next

bp = Blueprint("pages", __name__)


@bp.route("/impressum")
def impressum():
    return render_template("pages/impressum.html", legal=_legal())


@bp.route("/datenschutz")
def datenschutz():
    return render_template("pages/datenschutz.html", legal=_legal())


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure makes the instance unhealthy
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/sprache/<lang>")
def language(lang: str):
    target = safe_next(url_for("directory.home"))
    response = redirect(target)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _legal() -> dict[str, str | bool]:
    cfg = current_app.config
    return {key[6:].lower(): cfg[key] for key in cfg if key.startswith("LEGAL_")}
