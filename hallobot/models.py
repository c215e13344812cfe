"""Every model, imported in one place (for Alembic, the shell and the tests)."""

from hallobot.accounts.models import Role, User
from hallobot.directory.models import (
    Attribute,
    Business,
    Category,
    CurrentOffer,
    DeliveryOption,
    District,
    Hotspot,
    NewsPost,
    OpeningHours,
    Service,
    SpecialDay,
    Status,
)
from hallobot.moderation.models import AuditEvent, Report

__all__ = [
    "AuditEvent",
    "Attribute",
    "Business",
    "Category",
    "CurrentOffer",
    "DeliveryOption",
    "District",
    "Hotspot",
    "NewsPost",
    "OpeningHours",
    "Report",
    "Role",
    "Service",
    "SpecialDay",
    "Status",
    "User",
]
