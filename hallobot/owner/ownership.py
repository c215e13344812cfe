"""Who manages an entry: claims of unowned published businesses (decided in moderation),
co-owners invited by e-mail, and owners leaving."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hallobot.accounts.models import Role, User
from hallobot.directory.models import Business, Status
from hallobot.extensions import db
from hallobot.models_base import utcnow
from hallobot.moderation.models import Claim
from hallobot.moderation.service import record
from hallobot.owner.errors import OwnerError
from hallobot.owner.models import Invitation
from hallobot.text import plain_text
from hallobot.transaction import transactional

# --- claiming an unclaimed business ---


def claimable_business(slug: str) -> Business | None:
    """A published business without owners, or None."""
    business = db.session.scalar(select(Business).where(Business.slug == slug))
    if business is None or business.status != Status.PUBLISHED or business.owners:
        return None
    return business


@transactional
def request_claim(user: User, business: Business, message: str) -> Claim:
    if not user.is_confirmed:
        raise OwnerError(_l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    message = plain_text(message)
    if len(message) < 20:
        raise OwnerError(
            _l("Bitte schreiben Sie uns in mindestens 20 Zeichen, wie Sie zum Betrieb gehören."),
            "message",
        )
    if len(message) > 2000:
        raise OwnerError(_l("Höchstens 2000 Zeichen."), "message")
    existing = db.session.scalar(
        select(Claim.id).where(
            Claim.business_id == business.id, Claim.user_id == user.id, Claim.status == "open"
        )
    )
    if existing is not None:
        raise OwnerError(_l("Ihr Antrag für diesen Betrieb wird bereits geprüft."))
    claim = Claim(business=business, user=user, message=message)
    db.session.add(claim)
    return claim


def claims_of(user: User) -> list[Claim]:
    return list(
        db.session.scalars(
            select(Claim)
            .where(Claim.user_id == user.id, Claim.status != "approved")
            .options(joinedload(Claim.business))
            .order_by(Claim.created_at.desc())
        )
    )


# --- co-owners: invitations by e-mail ---

INVITATION_VALID = timedelta(days=7)
MAX_OPEN_INVITATIONS = 10


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitations(business: Business) -> list[Invitation]:
    now = utcnow()
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.business_id == business.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at)
        )
    )


@transactional
def invite_co_owner(inviter: User, business: Business, email: str) -> tuple[Invitation, str]:
    """Invite someone to co-own ``business``; returns the invitation and the token for the
    link (only its hash is stored). A new invitation to the same address replaces an open one."""
    email = (email or "").strip().lower()
    if any(owner.email == email for owner in business.owners):
        raise OwnerError(_l("Diese Person ist bereits Inhaber dieses Eintrags."), "email")
    current = open_invitations(business)
    for invitation in current:
        if invitation.email == email:
            invitation.revoked_at = utcnow()
    if sum(i.email != email for i in current) >= MAX_OPEN_INVITATIONS:
        raise OwnerError(
            _l("Es sind schon %(n)d Einladungen offen.", n=MAX_OPEN_INVITATIONS), "email"
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        business=business,
        email=email,
        token_hash=_token_hash(token),
        invited_by=inviter,
        expires_at=utcnow() + INVITATION_VALID,
    )
    db.session.add(invitation)
    record(inviter, "owner.invited", business, "", email=email)
    return invitation, token


@transactional
def revoke_invitation(user: User, business: Business, invitation_id: int) -> None:
    invitation = db.session.get(Invitation, invitation_id, with_for_update=True)
    if invitation is None or invitation.business_id != business.id:
        raise OwnerError(_l("Diese Einladung gibt es nicht."))
    if not invitation.is_open(utcnow()):
        raise OwnerError(_l("Diese Einladung ist nicht mehr offen."))
    invitation.revoked_at = utcnow()
    record(user, "owner.invitation_revoked", business, "", email=invitation.email)


def invitation_for_token(token: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))


@transactional
def accept_invitation(user: User, token: str) -> Business:
    """Make ``user`` a co-owner. The link works once, within 7 days, and only for the account
    with the invited (and confirmed) address."""
    invitation = invitation_for_token(token)
    if invitation is not None:
        invitation = db.session.get(Invitation, invitation.id, with_for_update=True)
    if invitation is None or not invitation.is_open(utcnow()):
        raise OwnerError(
            _l(
                "Diese Einladung ist ungültig, abgelaufen oder schon verwendet. Bitten Sie den "
                "Inhaber um eine neue Einladung."
            )
        )
    if user.email != invitation.email:
        raise OwnerError(
            _l(
                "Diese Einladung gilt für eine andere E-Mail-Adresse. Bitte melden Sie sich mit "
                "dem Konto an, an dessen Adresse die Einladung ging."
            )
        )
    if not user.is_confirmed:
        raise OwnerError(_l("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    business = invitation.business
    if all(owner.id != user.id for owner in business.owners):
        business.owners.append(user)
    if user.role == Role.SHOPPER:
        user.role = Role.OWNER.value
    invitation.accepted_at, invitation.accepted_by = utcnow(), user
    record(user, "owner.joined", business, "", invitation_id=invitation.id)
    return business


@transactional
def leave_business(user: User, business: Business) -> None:
    """``user`` stops being an owner. The last owner cannot leave: a published entry would
    lose everyone who can keep it current (a moderator can archive it instead)."""
    business = db.session.get(Business, business.id, with_for_update=True)
    if all(owner.id != user.id for owner in business.owners):
        raise OwnerError(_l("Sie sind nicht Inhaber dieses Eintrags."))
    if len(business.owners) == 1:
        raise OwnerError(
            _l(
                "Sie sind der einzige Inhaber. Laden Sie zuerst jemanden ein, der den Eintrag "
                "weiter pflegt, oder bitten Sie unsere Moderation, ihn zu archivieren."
            )
        )
    business.owners.remove(user)
    record(user, "owner.left", business, "")
