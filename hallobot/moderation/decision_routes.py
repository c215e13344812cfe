"""Moderators decide on what owners and users proposed — claims of an entry, changes to
a published entry, voucher offers — and the administration keeps the Bottrop-Gutschein.
One endpoint per decision; a refusal shows the page again with the reason."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hallobot.accounts.forms import EmptyForm
from hallobot.mail.service import MailError, send_template
from hallobot.moderation import decisions, service
from hallobot.moderation.blueprint import bp, media_root, notify_owners
from hallobot.moderation.forms import DecisionForm
from hallobot.vouchers import offer_fields
from hallobot.vouchers import offers as voucher_offers
from hallobot.vouchers.forms import OfferForm
from hallobot.web import confirmed, form_page, form_status, show_error


def _refused(form, exc: service.ModerationError, seen_changed) -> int:
    """Put the refusal on the form; 409 when the proposal changed while it was looked at."""
    show_error(form, exc)
    return 409 if seen_changed is not None and exc.message is seen_changed else 422


def _shown(page: str, form, status: int):
    """A decision page: ``status`` when a decision was refused, else by the form."""
    return page, status if status != 200 else form_status(form)


def _decide_on_proposal(render, proposal_id: int, decide, seen_changed, tell, done: str):
    """The flow of a decision on what someone proposed (a claim, a revision, a voucher
    offer) as the moderator saw it: a refusal shows the page again (409 when the proposal
    changed meanwhile); then ``tell(decided)`` e-mails those concerned."""
    form = DecisionForm()
    if not form.validate_on_submit():
        return render(proposal_id, form, 400)
    try:
        decided = decide(form, form.seen.data or "")
    except service.ModerationError as exc:
        return render(proposal_id, form, _refused(form, exc, seen_changed))
    tell(decided)
    flash(done, "success")
    return redirect(url_for("moderation.queue"))


# --- claims ---


def _mail_claimant(claim) -> None:
    template = "claim_approved" if claim.status == "approved" else "claim_rejected"
    subject = (
        _("Sie sind jetzt Inhaber/in von „%(name)s“", name=claim.business.name)
        if claim.status == "approved"
        else _("Ihr Antrag zu „%(name)s“", name=claim.business.name)
    )
    try:
        send_template(
            claim.user.email,
            subject,
            template,
            claim=claim,
            link=url_for("owner.dashboard", _external=True),
        )
    except MailError:
        flash(
            _("Die Entscheidung ist gespeichert, aber die E-Mail konnte nicht versendet werden."),
            "error",
        )


def _render_claim(claim_id: int, form: DecisionForm, status: int = 200):
    claim = decisions.get_claim(claim_id) or abort(404)
    return _shown(render_template("moderation/claim.html", claim=claim, form=form), form, status)


@bp.route("/antrag/<int:claim_id>")
def claim_detail(claim_id: int):
    return _render_claim(claim_id, DecisionForm(formdata=None))


def _decide_claim(claim_id: int, decide):
    def tell(decided):
        for claim in decided:
            _mail_claimant(claim)

    return _decide_on_proposal(
        _render_claim, claim_id, decide, None, tell, _("Über den Antrag ist entschieden.")
    )


@bp.route("/antrag/<int:claim_id>/bestaetigen", methods=["POST"])
def claim_approve(claim_id: int):
    return _decide_claim(
        claim_id, lambda form, seen: decisions.approve_claim(current_user, claim_id)
    )


@bp.route("/antrag/<int:claim_id>/ablehnen", methods=["POST"])
def claim_reject(claim_id: int):
    return _decide_claim(
        claim_id,
        lambda form, seen: [decisions.reject_claim(current_user, claim_id, form.reason.data)],
    )


# --- changes to published entries ---


def _render_revision(revision_id: int, form: DecisionForm, status: int = 200):
    revision = decisions.get_revision(revision_id) or abort(404)
    form.seen.data = decisions.revision_seen(revision)  # the version on the page now
    page = render_template(
        "moderation/revision.html",
        revision=revision,
        form=form,
        diff=decisions.revision_diff(revision),
    )
    return _shown(page, form, status)


@bp.route("/aenderung/<int:revision_id>")
def revision_detail(revision_id: int):
    return _render_revision(revision_id, DecisionForm(formdata=None))


def _decide_revision(revision_id: int, approve: bool):
    decisions.get_revision(revision_id) or abort(404)
    subject = (
        _("Ihre Änderungen an „%(name)s“ sind online")
        if approve
        else _("Ihre Änderungen an „%(name)s“ wurden nicht freigegeben")
    )

    def decide(form, seen):
        if approve:
            return decisions.approve_revision(current_user, revision_id, seen, media_root())
        return decisions.reject_revision(
            current_user, revision_id, form.reason.data, seen, media_root()
        )

    def tell(revision):
        business = revision.business
        notify_owners(
            business,
            f"revision_{revision.status}",
            subject % {"name": business.name},
            revision=revision,
        )

    return _decide_on_proposal(
        _render_revision,
        revision_id,
        decide,
        decisions.SEEN_CHANGED,
        tell,
        _("Über die Änderung ist entschieden."),
    )


@bp.route("/aenderung/<int:revision_id>/freigeben", methods=["POST"])
def revision_approve(revision_id: int):
    return _decide_revision(revision_id, approve=True)


@bp.route("/aenderung/<int:revision_id>/ablehnen", methods=["POST"])
def revision_reject(revision_id: int):
    return _decide_revision(revision_id, approve=False)


# --- voucher offers ---


def _render_offer(offer_id: int, form: DecisionForm, status: int = 200):
    offer = voucher_offers.offer_by_id(offer_id) or abort(404)
    form.seen.data = voucher_offers.offer_seen(offer)  # the version on the page now
    page = render_template(
        "vouchers/offer_review.html",
        offer=offer,
        changes=voucher_offers.changes(offer),
        form=form,
    )
    return _shown(page, form, status)


@bp.route("/gutscheinangebot/<int:offer_id>")
def offer_detail(offer_id: int):
    return _render_offer(offer_id, DecisionForm(formdata=None))


def _mail_offer_decision(offer, subject: str) -> None:
    if offer.business is None:  # the Bottrop-Gutschein: nobody to tell
        return
    notify_owners(
        offer.business,
        f"offer_{offer.status}",
        subject % {"title": offer.title},
        offer=offer,
        offer_link=url_for("offers.offer_page", offer_id=offer.id, _external=True),
        offers_link=url_for("offers.owner_offers", slug=offer.business.slug, _external=True),
    )


def _decide_offer(offer_id: int, approve: bool):
    voucher_offers.offer_by_id(offer_id) or abort(404)
    subject = (
        _("Ihr Gutscheinangebot „%(title)s“ ist online")
        if approve
        else _("Ihr Gutscheinangebot „%(title)s“ wurde nicht freigegeben")
    )

    def decide(form, seen):
        if approve:
            return decisions.approve_offer(current_user, offer_id, seen)
        return decisions.reject_offer(current_user, offer_id, form.reason.data, seen)

    return _decide_on_proposal(
        _render_offer,
        offer_id,
        decide,
        voucher_offers.SEEN_CHANGED,
        lambda offer: _mail_offer_decision(offer, subject),
        _("Über das Gutscheinangebot ist entschieden."),
    )


@bp.route("/gutscheinangebot/<int:offer_id>/freigeben", methods=["POST"])
def offer_approve(offer_id: int):
    return _decide_offer(offer_id, approve=True)


@bp.route("/gutscheinangebot/<int:offer_id>/ablehnen", methods=["POST"])
def offer_reject(offer_id: int):
    return _decide_offer(offer_id, approve=False)


# --- the administration's Bottrop-Gutschein ---


@bp.route("/bottrop-gutschein", methods=["GET", "POST"])
def city_offer():
    """The administration's offer of the Bottrop-Gutschein: published when saved."""
    offer = voucher_offers.city_offer()
    form = OfferForm.shown(
        lambda: vars(offer_fields.input_of(offer)) if offer else {"pay_by_transfer": True}
    )
    return form_page(
        "vouchers/offer_city.html",
        form,
        lambda form: decisions.save_city_offer(current_user, form.offer_input()),
        _("Der Bottrop-Gutschein ist gespeichert und veröffentlicht."),
        url_for("moderation.city_offer"),
        offer=offer,
        withdraw_form=EmptyForm(),
    )


@bp.route("/bottrop-gutschein/zurueckziehen", methods=["POST"])
def city_offer_withdraw():
    return confirmed(
        lambda: decisions.withdraw_city_offer(current_user),
        _("Der Bottrop-Gutschein wird nicht mehr angeboten."),
        url_for("moderation.city_offer"),
    )
