"""Loaders for routes: fetch an object and enforce existence and permission before any view
logic (404 / 403), like flaskr's ``get_post(id, check_author)``."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hallobot.accounts.permissions import can_manage_as_owner
from hallobot.directory.models import Business
from hallobot.extensions import db


def owned_business_or_404(slug: str) -> Business:
    """The loader of every owner page (profile, vouchers, voucher offers): the business,
    whatever its status, if the signed-in user may manage it as an owner; else 404 —
    whether it exists is nobody else's business."""
    business = db.session.scalar(
        select(Business).where(Business.slug == slug).options(selectinload(Business.owners))
    )
    if business is None or not can_manage_as_owner(current_user, business):
        abort(404)
    return business
