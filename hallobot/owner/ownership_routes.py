"""/mein-betrieb: claiming an unowned entry, inviting co-owners, accepting an invitation,
leaving an entry."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hallobot.accounts.forms import EmptyForm
from hallobot.directory.loaders import owned_business_or_404
from hallobot.extensions import limiter
from hallobot.mail.service import MailError
from hallobot.models_base import utcnow
from hallobot.owner import emails, ownership
from hallobot.owner.blueprint import bp, user_key
from hallobot.owner.errors import OwnerError
from hallobot.owner.forms import ClaimForm, InvitationForm
from hallobot.owner.models import Invitation
from hallobot.web import confirmed, form_page, show_error


@bp.route("/uebernehmen/<slug>", methods=["GET", "POST"])
def claim(slug: str):
    business = ownership.claimable_business(slug) or abort(404)
    return form_page(
        "owner/claim.html",
        ClaimForm(),
        lambda form: ownership.request_claim(current_user, business, form.message.data),
        _("Danke! Wir prüfen Ihren Antrag und melden uns per E-Mail."),
        url_for("owner.dashboard"),
        business=business,
    )


def _send_invitation(invitation: Invitation, token: str) -> None:
    """Mail the invitation and say whether it went out (the invitation stands either way)."""
    try:
        emails.send_invitation(invitation, token, current_user)
    except MailError:
        flash(
            _(
                "Die Einladung ist angelegt, aber die E-Mail konnte nicht versendet "
                "werden. Bitte laden Sie später erneut ein."
            ),
            "error",
        )
    else:
        flash(_("Die Einladung an %(email)s ist versendet.", email=invitation.email), "success")


@bp.route("/<slug>/inhaber", methods=["GET", "POST"])
@limiter.limit("10 per hour;30 per day", methods=["POST"], key_func=user_key)
def co_owners(slug: str):
    """The owners of an entry, open invitations, and the form to invite a co-owner."""
    business = owned_business_or_404(slug)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            invitation, token = ownership.invite_co_owner(current_user, business, form.email.data)
        except OwnerError as exc:
            show_error(form, exc, "email")
        else:
            _send_invitation(invitation, token)
            return redirect(url_for("owner.co_owners", slug=business.slug))
    page = render_template(
        "owner/co_owners.html",
        business=business,
        form=form,
        invitations=ownership.open_invitations(business),
        revoke_form=EmptyForm(),
    )
    return page, 422 if form.errors else 200


@bp.route("/<slug>/inhaber/einladung/<int:invitation_id>/zurueckziehen", methods=["POST"])
def revoke_invitation(slug: str, invitation_id: int):
    business = owned_business_or_404(slug)
    return confirmed(
        lambda: ownership.revoke_invitation(current_user, business, invitation_id),
        _("Die Einladung ist zurückgezogen."),
        url_for("owner.co_owners", slug=business.slug),
    )


@bp.route("/<slug>/inhaber/austreten", methods=["POST"])
def leave(slug: str):
    """An owner gives up managing the entry (only while another owner remains)."""
    business = owned_business_or_404(slug)
    return confirmed(
        lambda: ownership.leave_business(current_user, business),
        _("Sie verwalten „%(name)s“ nicht mehr.", name=business.name),
        url_for("owner.dashboard"),
        back=url_for("owner.co_owners", slug=business.slug),
    )


@bp.route("/einladung/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = ownership.invitation_for_token(token)
    form = EmptyForm()
    if invitation is None or not invitation.is_open(utcnow()):
        return render_template("owner/accept_invitation.html", invitation=None, form=form), 404
    status = 200
    if form.validate_on_submit():
        try:
            business = ownership.accept_invitation(current_user, token)
        except OwnerError as exc:
            show_error(form, exc)
            status = 422
        else:
            welcome = _("Willkommen! Sie verwalten jetzt „%(name)s“ mit.", name=business.name)
            flash(welcome, "success")
            return redirect(url_for("owner.dashboard"))
    page = render_template("owner/accept_invitation.html", invitation=invitation, form=form)
    return page, status
