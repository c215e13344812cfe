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
    MediaFile,
    NewsPost,
    OpeningHours,
    Photo,
    Service,
    SpecialDay,
    Status,
)
from hallobot.geo.models import GeocodeResult
from hallobot.moderation.models import AuditEvent, Claim, Report, Revision
from hallobot.owner.models import Invitation
from hallobot.search.models import (
    SearchDocument,
    SearchSpecialDay,
    SearchState,
    SearchTerm,
    SynonymGroup,
)
from hallobot.vouchers.models import Redemption, Voucher, VoucherOffer, VoucherOrder

__all__ = [
    "AuditEvent",
    "Attribute",
    "Business",
    "Category",
    "Claim",
    "CurrentOffer",
    "DeliveryOption",
    "District",
    "GeocodeResult",
    "Hotspot",
    "Invitation",
    "MediaFile",
    "NewsPost",
    "OpeningHours",
    "Photo",
    "Report",
    "Revision",
    "Role",
    "SearchDocument",
    "SearchSpecialDay",
    "SearchState",
    "SearchTerm",
    "Service",
    "SpecialDay",
    "Status",
    "SynonymGroup",
    "User",
    "Redemption",
    "Voucher",
    "VoucherOffer",
    "VoucherOrder",
]
