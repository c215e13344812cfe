"""The owner blueprint (/mein-betrieb) and what its route modules share. The views live in
``routes`` (dashboard, new entry, basic data, submission), ``section_routes`` (hours and the
list editors), ``photo_routes`` and ``ownership_routes`` (claims, co-owners); ``routes``
imports the others, so registering ``routes.bp`` registers them all."""

from __future__ import annotations

from flask import Blueprint, flash
from flask_babel import gettext as _
from flask_login import current_user

bp = Blueprint("owner", __name__, url_prefix="/mein-betrieb")


def user_key() -> str:
    """Rate-limit key for owners' actions: the account, whatever the address."""
    return f"user:{current_user.get_id()}"


def flash_outcome(outcome: str, saved, proposed) -> None:
    """Say what a save did: "saved" (a draft changed), "proposed" (waits for moderation) or
    "unchanged"."""
    messages = {"saved": saved, "proposed": proposed, "unchanged": _("Es gab nichts zu ändern.")}
    flash(str(messages[outcome]), "success")
