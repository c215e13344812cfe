"""Who may do what — the one place for permission rules.

Functions take the user and the object and answer yes or no. They read plain attributes
(duck typing), so this module imports nothing from the slices above accounts.
Every endpoint has an entry in ``ENDPOINT_ACCESS``; ``enforce_endpoint_access`` (run before
every request) applies it, and an endpoint without an entry is refused — secure by default.
Object-level rules (who may see or edit *this* business) live in the functions below and
are applied by the loaders in the views. Browsers without a login are sent to the login
page; JSON clients get 401; a logged-in user without the right gets 403.
"""

from __future__ import annotations

from flask import abort, current_app, request
from flask_login import current_user

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
    """May see and work on unpublished content of the business (owners and moderators)."""
    return is_owner(user, business) or is_moderator(user)


def can_manage_as_owner(user, business) -> bool:
    """The owners' own pages (/mein-betrieb/<slug>/…): only the business's owners.
    Moderators act through /moderation, where their decisions are logged."""
    return is_owner(user, business)


PUBLIC = "public"  # anyone
LOGIN = "login"  # any logged-in user
MODERATOR = "moderator"  # moderators and admins
ADMIN = "admin"

ENDPOINT_ACCESS: dict[str, str] = {
    "static": PUBLIC,
    # directory and search: public; unpublished businesses are checked per object
    "directory.home": PUBLIC,
    "directory.category": PUBLIC,
    "directory.district": PUBLIC,
    "directory.business": PUBLIC,
    "directory.delivery_check": PUBLIC,  # the business page's "Liefern Sie zu mir?"
    "directory.media": PUBLIC,  # photos not yet public: owners and moderators only
    "search.search": PUBLIC,
    "search.map_page": PUBLIC,
    # the JSON API (api/): what the search box and the map fetch
    "api.suggest": PUBLIC,
    "api.businesses_geojson": PUBLIC,
    "api.business_popup": PUBLIC,  # published businesses only (404 for others)
    # vouchers: ordering, the voucher page and the balance check are public; the owner
    # pages check ownership themselves (404 for others); the city voucher is the admins'
    "vouchers.order": PUBLIC,
    "vouchers.ordered": PUBLIC,
    "vouchers.voucher_page": PUBLIC,
    "vouchers.balance": PUBLIC,
    "vouchers.owner_overview": LOGIN,
    "vouchers.confirm_order": LOGIN,
    "vouchers.cancel_order": LOGIN,
    "vouchers.redeem": LOGIN,
    "vouchers.undo": LOGIN,
    "vouchers.owner_settlement_csv": LOGIN,
    "vouchers.admin_overview": ADMIN,
    "vouchers.admin_issue": ADMIN,
    "vouchers.admin_confirm_order": ADMIN,
    "vouchers.admin_cancel_order": ADMIN,
    "vouchers.settlement_csv": ADMIN,
    # voucher offers: the marketplace, offer pages and "Kontakt aufnehmen" are public; the
    # owners' offer pages check ownership (404 for others); decisions in moderation
    "offers.market": PUBLIC,
    "offers.offer_page": PUBLIC,  # not yet public: owners and moderators only (preview)
    "offers.contact": PUBLIC,
    "offers.owner_offers": LOGIN,
    "offers.new_offer": LOGIN,
    "offers.edit_offer": LOGIN,
    "offers.withdraw_offer": LOGIN,
    "moderation.offer_detail": MODERATOR,
    "moderation.offer_approve": MODERATOR,
    "moderation.offer_reject": MODERATOR,
    "moderation.city_offer": ADMIN,
    "moderation.city_offer_withdraw": ADMIN,
    # site pages
    "pages.impressum": PUBLIC,
    "pages.datenschutz": PUBLIC,
    "pages.healthz": PUBLIC,
    "pages.language": PUBLIC,
    # accounts
    "accounts.register": PUBLIC,
    "accounts.confirm": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC,
    "accounts.forgot_password": PUBLIC,
    "accounts.reset_password": PUBLIC,
    "accounts.account": LOGIN,
    "accounts.change_password": LOGIN,
    "accounts.resend_confirmation": LOGIN,
    # owners' self-service (each business is loaded through an ownership check)
    "owner.dashboard": LOGIN,
    "owner.new_business": LOGIN,
    "owner.submit": LOGIN,
    "owner.claim": LOGIN,
    "owner.edit": LOGIN,
    "owner.hours": LOGIN,
    "owner.services": LOGIN,
    "owner.special_days": LOGIN,
    "owner.delivery": LOGIN,
    "owner.news": LOGIN,
    "owner.offers": LOGIN,
    "owner.photos": LOGIN,
    "owner.upload_photo": LOGIN,
    "owner.co_owners": LOGIN,
    "owner.revoke_invitation": LOGIN,
    "owner.leave": LOGIN,
    "owner.accept_invitation": LOGIN,
    # moderation
    "moderation.queue": MODERATOR,
    "moderation.review": MODERATOR,
    "moderation.approve": MODERATOR,
    "moderation.reject": MODERATOR,
    "moderation.audit_log": MODERATOR,
    "moderation.report_detail": MODERATOR,
    "moderation.correct_report": MODERATOR,
    "moderation.unpublish": MODERATOR,
    "moderation.users": MODERATOR,
    "moderation.user_detail": MODERATOR,
    "moderation.user_role": MODERATOR,
    "moderation.user_block": MODERATOR,
    "moderation.user_unblock": MODERATOR,
    "moderation.claim_detail": MODERATOR,
    "moderation.claim_approve": MODERATOR,
    "moderation.claim_reject": MODERATOR,
    "moderation.revision_detail": MODERATOR,
    "moderation.revision_approve": MODERATOR,
    "moderation.revision_reject": MODERATOR,
    "moderation.categories": MODERATOR,
    "moderation.category_edit": MODERATOR,
    "moderation.category_delete": MODERATOR,
    "moderation.synonyms": MODERATOR,
    "moderation.synonym_save": MODERATOR,
    "moderation.synonym_delete": MODERATOR,
    "reports.report": PUBLIC,
}


def allowed(level: str, user) -> bool:
    if level == PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if level == LOGIN:
        return True
    if level == MODERATOR:
        return is_moderator(user)
    if level == ADMIN:
        return is_admin(user)
    return False


def enforce_endpoint_access():
    """``before_request`` hook: apply the endpoint's access level."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: let the 404/405 handling answer
        return None
    level = ENDPOINT_ACCESS.get(endpoint)
    if level is None:
        abort(403)
    if allowed(level, current_user):
        return None
    if not current_user.is_authenticated:
        if wants_json():
            abort(401)
        return current_app.login_manager.unauthorized()
    abort(403)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or best == "application/json"
