"""Who may do what — the one place for permission rules.

Functions take the user and the object and answer yes or no. They read plain attributes
(duck typing), so this module imports nothing from the slices above accounts.
Decorators answer JSON requests with 403/401 and send browsers to the login page.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required

from hallobot.accounts.models import Role


def is_moderator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in (
        Role.MODERATOR,
        Role.ADMIN,
    )


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ADMIN


def is_owner(user, business) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(owner.id == user.id for owner in business.owners)


def can_view_business(user, business) -> bool:
    """Published businesses are public; others only for their owners and moderators."""
    if business.status == "published":
        return True
    return is_owner(user, business) or is_moderator(user)


def can_edit(user, business) -> bool:
    return is_owner(user, business) or is_moderator(user)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or best == "application/json"


def role_required(*roles: str):
    """Require login and one of ``roles``: 403 for a logged-in user without it."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
