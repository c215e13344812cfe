"""Moderation: the review queue, decisions and the append-only audit log."""
