"""Account forms. Error messages are German source strings, shown beside the fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")


def valid_email(form, field) -> None:
    """Check the address syntax (IDN allowed) right beside the field."""
    from email_validator import EmailNotValidError, validate_email

    if not field.data:
        return
    try:
        validate_email(field.data.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein.")) from exc


def new_password(label, repeat_label) -> tuple[PasswordField, PasswordField]:
    """A new password and its repetition (the rules themselves are the service's)."""
    return (
        PasswordField(label, validators=[DataRequired(REQUIRED), Length(max=256)]),
        PasswordField(
            repeat_label,
            validators=[
                DataRequired(REQUIRED),
                EqualTo("password", message=_l("Die Passwörter stimmen nicht überein.")),
            ],
        ),
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Passwort"), validators=[DataRequired(REQUIRED), Length(max=256)])
    remember = BooleanField(_l("Angemeldet bleiben"))


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED), Length(max=254), valid_email]
    )
    display_name = StringField(
        _l("Name (optional)"),
        validators=[Length(max=80, message=_l("Höchstens 80 Zeichen."))],
    )
    password, password_confirm = new_password(
        _l("Passwort (mindestens 10 Zeichen)"), _l("Passwort wiederholen")
    )
    accept_privacy = BooleanField(
        _l("Ich habe die Datenschutzerklärung gelesen."),
        validators=[DataRequired(_l("Bitte bestätigen Sie die Datenschutzerklärung."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password, password_confirm = new_password(
        _l("Neues Passwort (mindestens 10 Zeichen)"), _l("Neues Passwort wiederholen")
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        _l("Aktuelles Passwort"), validators=[DataRequired(REQUIRED), Length(max=256)]
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token (logout, resend confirmation)."""
