"""The base of the domain errors services raise: a user-facing message, and optionally the
form field or list row it belongs to (the view shows it there)."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message, field: str | None = None, row: int | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.row = row  # in a list editor: the row (from 1) the message belongs to
