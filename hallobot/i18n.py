"""Locale and time-zone selection: German first; English when the visitor chose it."""

from __future__ import annotations

from flask import current_app, has_request_context, request

LANG_COOKIE = "hallobot_lang"


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]
