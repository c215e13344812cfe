"""The owner slice's domain errors: what the views show beside a field, in a row or as a
message."""

from __future__ import annotations

from hallobot.errors import DomainError


class OwnerError(DomainError):
    """A user-facing problem."""


class StaleEdit(OwnerError):
    """The entry changed since the form was opened; nothing was saved."""
