"""The account e-mails (confirmation, already registered, password reset)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from hallobot.accounts import service
from hallobot.accounts.models import User
from hallobot.mail.service import send_template, send_template_in_background


def send_confirmation(user: User) -> None:
    token = service.make_confirm_token(user)
    send_template(
        user.email,
        _("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
        "confirm_email",
        user=user,
        link=url_for("accounts.confirm", token=token, _external=True),
    )


def send_already_registered(user: User) -> None:
    send_template(
        user.email,
        _("Sie haben bereits ein Konto bei hallobot"),
        "already_registered",
        user=user,
        login_link=url_for("accounts.login", _external=True),
        reset_link=url_for("accounts.forgot_password", _external=True),
    )


def send_password_reset(user: User) -> None:
    token = service.make_reset_token(user)
    send_template_in_background(
        user.email,
        _("Passwort zurücksetzen"),
        "reset_password",
        user=user,
        link=url_for("accounts.reset_password", token=token, _external=True),
    )
