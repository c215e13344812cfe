"""Account logic: registration, authentication, tokens, password changes.

Plain functions over the database session. They raise ``AccountError`` with a German,
user-facing message (translated by the caller through Flask-Babel's lazy strings).
"""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hallobot.accounts.models import ROLE_VALUES, Role, User, new_session_token
from hallobot.errors import DomainError
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.transaction import transactional

CONFIRM_SALT = "hallobot.confirm-email"
RESET_SALT = "hallobot.reset-password"


class AccountError(DomainError):
    """A user-facing problem with an account action."""


class TokenInvalid(AccountError):
    pass


class TokenExpired(AccountError):
    pass


# --- passwords ---


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password_rules(password: str) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise AccountError(
            _l("Das Passwort muss mindestens %(n)d Zeichen lang sein.", n=minimum), "password"
        )
    if len(password) > 256:
        raise AccountError(_l("Das Passwort darf höchstens 256 Zeichen lang sein."), "password")


def verify_password(user: User, password: str) -> bool:
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


_DUMMY_HASH: dict[tuple, str] = {}


def _burn_time(password: str) -> None:
    """Spend the time of one password check, so unknown accounts answer as slowly."""
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hasher.hash("not the password of anybody")
    try:
        hasher.verify(_DUMMY_HASH[key], password)
    except VerificationError:
        pass


# --- e-mail addresses and lookups ---


def checked_email(raw: str) -> str:
    """A valid address in its normal form, the case of its local part kept (to write to)."""
    try:
        info = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein."), "email") from exc
    return info.normalized


def normalize_email(raw: str) -> str:
    """The address as accounts are found by: checked and lower-cased."""
    return checked_email(raw).lower()


def find_user_by_email(email: str) -> User | None:
    try:
        normalized = normalize_email(email)
    except AccountError:
        return None
    return db.session.scalar(select(User).where(User.email == normalized))


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: ``<id>:<session token>``; a changed token ends the session."""
    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not hmac.compare_digest(user.session_token, token):
        return None
    return user


# --- registration and login ---


@transactional
def register(email: str, password: str, display_name: str = "") -> tuple[User, bool]:
    """Create a shopper account. Returns ``(user, created)``; if the address is taken,
    returns the existing user and ``False`` (the caller mails its owner instead, so the
    page never reveals whether an address is registered)."""
    normalized = normalize_email(email)
    check_password_rules(password)
    password_hash = hash_password(password)  # computed either way: same time for both answers
    existing = db.session.scalar(select(User).where(User.email == normalized))
    if existing is not None:
        return existing, False
    user = User(
        email=normalized,
        password_hash=password_hash,
        display_name=(display_name or "").strip()[:80],
        role=Role.SHOPPER.value,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:  # registered at the same moment by a parallel request
        existing = db.session.scalar(select(User).where(User.email == normalized))
        if existing is None:
            raise
        return existing, False
    return user, True


@transactional
def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same time either way)."""
    user = find_user_by_email(email)
    if user is None:
        _burn_time(password)
        return None
    if not verify_password(user, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


@transactional
def create_user(
    email: str,
    password: str,
    role: str = Role.SHOPPER.value,
    display_name: str = "",
    confirmed: bool = True,
) -> User:
    """Create a user directly (command line, seed); raises AccountError if taken."""
    if role not in ROLE_VALUES:
        raise AccountError(_l("Unbekannte Rolle: %(role)s", role=role), "role")
    normalized = normalize_email(email)
    check_password_rules(password)
    if db.session.scalar(select(User.id).where(User.email == normalized)) is not None:
        raise AccountError(_l("Diese E-Mail-Adresse ist bereits registriert."), "email")
    user = User(
        email=normalized,
        password_hash=hash_password(password),
        display_name=display_name.strip()[:80],
        role=role,
        confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    return user


# --- signed tokens ---


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_confirm_token(user: User) -> str:
    return _serializer(CONFIRM_SALT).dumps({"uid": user.id, "email": user.email})


def make_reset_token(user: User) -> str:
    # The fingerprint of the current hash makes the link single-use: after a reset it no
    # longer matches.
    return _serializer(RESET_SALT).dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def _load_token(token: str, salt: str, max_age_seconds: int) -> dict:
    try:
        data = _serializer(salt).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise TokenExpired(
            _l("Der Link ist abgelaufen. Bitte fordern Sie einen neuen an.")
        ) from exc
    except BadSignature as exc:
        raise TokenInvalid(_l("Der Link ist ungültig.")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        raise TokenInvalid(_l("Der Link ist ungültig."))
    return data


@transactional
def confirm_email(token: str) -> User:
    max_age = int(current_app.config["EMAIL_CONFIRM_MAX_AGE"].total_seconds())
    data = _load_token(token, CONFIRM_SALT, max_age)
    user = db.session.get(User, data["uid"])
    if user is None or user.email != data.get("email"):
        raise TokenInvalid(_l("Der Link ist ungültig."))
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    return user


def user_for_reset_token(token: str) -> User:
    max_age = int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds())
    data = _load_token(token, RESET_SALT, max_age)
    user = db.session.get(User, data["uid"])
    if user is None or not user.active:
        raise TokenInvalid(_l("Der Link ist ungültig."))
    if not hmac.compare_digest(_password_fingerprint(user), str(data.get("pw", ""))):
        raise TokenInvalid(
            _l("Dieser Link wurde bereits verwendet. Bitte fordern Sie einen neuen an.")
        )
    return user


@transactional
def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; also confirms the address (the link proves it)
    and ends all other sessions."""
    user = user_for_reset_token(token)
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    return user


@transactional
def change_password(user: User, current_password: str, new_password: str) -> User:
    if not verify_password(user, current_password):
        raise AccountError(_l("Das aktuelle Passwort ist falsch."), "current_password")
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    return user
