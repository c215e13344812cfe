"""The owner e-mails: the invitation to co-own an entry."""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from hallobot.accounts.models import User
from hallobot.mail.service import send_template
from hallobot.owner.models import Invitation


def send_invitation(invitation: Invitation, token: str, inviter: User) -> None:
    """The link to accept ``invitation`` (carrying ``token``), in German: the invitee's
    language is not known. Raises MailError when the mail cannot be written."""
    with force_locale("de"):
        send_template(
            invitation.email,
            _(
                "Einladung: „%(name)s“ auf hallobot mitverwalten",
                name=invitation.business.name,
            ),
            "owner_invitation",
            invitation=invitation,
            inviter=inviter,
            link=url_for("owner.accept_invitation", token=token, _external=True),
            register_link=url_for("accounts.register", _external=True),
        )
