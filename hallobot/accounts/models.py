"""The user account."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from hallobot.extensions import db
from hallobot.models_base import utcnow


class Role(StrEnum):
    SHOPPER = "shopper"
    OWNER = "owner"
    MODERATOR = "moderator"
    ADMIN = "admin"


ROLE_VALUES = tuple(r.value for r in Role)
# what people read for a role (the moderators' role form, account pages)
ROLE_LABELS = {
    Role.SHOPPER.value: _l("Kundin/Kunde"),
    Role.OWNER.value: _l("Inhaber/in"),
    Role.MODERATOR.value: _l("Moderation"),
    Role.ADMIN.value: _l("Administration"),
}


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A person with an account. E-mail addresses are stored lower-case, so the unique
    constraint makes them unique regardless of case."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lower"),
        CheckConstraint("role IN ('shopper', 'owner', 'moderator', 'admin')", name="role_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    role: Mapped[str] = mapped_column(String(20), default=Role.SHOPPER.value)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie: changing it (password change/reset) ends every other session.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
