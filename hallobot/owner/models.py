"""Invitations of co-owners."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallobot.accounts.models import User
from hallobot.directory.models import Business
from hallobot.extensions import db
from hallobot.models_base import utcnow


class Invitation(db.Model):
    """An owner asks someone, by e-mail address, to become a co-owner. The link in the mail
    carries a random token of which only the SHA-256 hash is stored; it works once, until
    ``expires_at``, and only for an account with the invited address."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_business_email", "business_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    business: Mapped[Business] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at
