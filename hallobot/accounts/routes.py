"""Account pages: register, confirm, log in and out, forgot/reset password, account page."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from hallobot.accounts import emails, service
from hallobot.accounts.forms import (
    ChangePasswordForm,
    EmptyForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from hallobot.extensions import limiter
from hallobot.mail.service import MailError
from hallobot.web import safe_next, show_error

bp = Blueprint("accounts", __name__, url_prefix="/konto")

MAIL_LIMIT = "5 per minute;30 per hour"
ADDRESS_LIMIT = "3 per 10 minutes;10 per day"


def _address_key() -> str:
    """Rate-limit key for mail forms: the address mails would go to (from any IP)."""
    return "address:" + (request.form.get("email") or "").strip().lower()[:254]


LOGIN_LIMIT = "10 per minute;60 per hour"


def _mail_failed() -> None:
    flash(
        _("Die E-Mail konnte gerade nicht versendet werden. Bitte versuchen Sie es später erneut."),
        "error",
    )


def _mail_registration(user, created: bool, typed_email: str) -> None:
    """The confirmation link, or a note that the address has an account already — the
    same answer on the page either way (no message tells whether it is registered)."""
    try:
        if created:
            emails.send_confirmation(user)
        else:
            emails.send_already_registered(user)
    except MailError:
        _mail_failed()
        return
    flash(
        _(
            "Fast geschafft! Wir haben eine E-Mail an %(email)s geschickt. "
            "Bitte bestätigen Sie darin Ihre Adresse und melden Sie sich dann an.",
            email=typed_email,
        ),
        "success",
    )


@bp.route("/registrieren", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], key_func=_address_key)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user, created = service.register(
                form.email.data, form.password.data, form.display_name.data
            )
        except service.AccountError as exc:
            show_error(form, exc, "email")
        else:
            _mail_registration(user, created, form.email.data.strip())
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form)


@bp.route("/bestaetigen/<token>")
def confirm(token: str):
    try:
        service.confirm_email(token)
    except service.AccountError as exc:
        flash(exc.message, "error")
        return redirect(
            url_for("accounts.account" if current_user.is_authenticated else "accounts.login")
        )
    flash(_("Vielen Dank! Ihre E-Mail-Adresse ist bestätigt."), "success")
    return redirect(
        url_for("accounts.account" if current_user.is_authenticated else "accounts.login")
    )


@bp.route("/bestaetigung-senden", methods=["POST"])
@login_required
@limiter.limit(MAIL_LIMIT)
def resend_confirmation():
    form = EmptyForm()
    if form.validate_on_submit() and not current_user.is_confirmed:
        try:
            emails.send_confirmation(current_user)
            flash(_("Wir haben Ihnen den Bestätigungslink erneut geschickt."), "success")
        except MailError:
            _mail_failed()
    return redirect(url_for("accounts.account"))


@bp.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("accounts.account")))
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("E-Mail-Adresse oder Passwort ist falsch."))
        else:
            target = safe_next(url_for("accounts.account"))
            session.clear()  # a new session id on every login
            login_user(user, remember=form.remember.data)
            flash(_("Willkommen, %(name)s!", name=user.name), "success")
            return redirect(target)
    return render_template("accounts/login.html", form=form)


@bp.route("/abmelden", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        session.clear()
        logout_user()  # after clear(): it leaves the note that deletes the remember cookie
        flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("directory.home"))


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], key_func=_address_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = service.find_user_by_email(form.email.data)
        if user is not None and user.active:
            emails.send_password_reset(user)  # in the background: same answer time
        flash(
            _(
                "Wenn ein Konto mit dieser Adresse existiert, haben wir eine E-Mail mit einem "
                "Link zum Zurücksetzen geschickt. Der Link ist eine Stunde gültig."
            ),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/passwort-neu/<token>", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def reset_password(token: str):
    try:
        service.user_for_reset_token(token)
    except service.AccountError as exc:
        flash(exc.message, "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            service.reset_password(token, form.password.data)
        except service.AccountError as exc:
            show_error(form, exc, "password")
        else:
            session.clear()
            logout_user()
            flash(_("Ihr Passwort ist geändert. Bitte melden Sie sich an."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("", methods=["GET"])
@login_required
def account():
    return render_template(
        "accounts/account.html", password_form=ChangePasswordForm(), empty_form=EmptyForm()
    )


@bp.route("/passwort", methods=["POST"])
@login_required
@limiter.limit(LOGIN_LIMIT)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = service.change_password(
                current_user, form.current_password.data, form.password.data
            )
        except service.AccountError as exc:
            show_error(form, exc, "password")
        else:
            # the session token changed: renew this session's cookies (and the remember cookie)
            remembered = (
                current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            )
            login_user(user, remember=remembered)
            flash(_("Ihr Passwort ist geändert. Andere Sitzungen wurden abgemeldet."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", password_form=form, empty_form=EmptyForm())
