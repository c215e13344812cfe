"""/moderation: the review queue, decisions on new entries and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from hallobot.accounts.forms import EmptyForm
from hallobot.directory import service as directory
from hallobot.directory.hours import local_now, schedule_for
from hallobot.mail.service import MailError, send_template
from hallobot.moderation import service
from hallobot.web import page_number

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Begründung für die Inhaber"))


def _notify_owners(business, template: str, subject: str) -> None:
    try:
        for owner in business.owners:
            send_template(
                owner.email,
                subject,
                template,
                business=business,
                owner=owner,
                link=url_for("owner.dashboard", _external=True),
            )
    except MailError:
        flash(
            _(
                "Die Entscheidung ist gespeichert, aber die E-Mail an die Inhaber konnte "
                "nicht versendet werden."
            ),
            "error",
        )


@bp.route("")
def queue():
    return render_template("moderation/queue.html", businesses=service.pending_businesses())


def _render_review(business_id: int, reject_form: RejectForm, status: int = 200):
    business = directory.business_by_id(business_id) or abort(404)
    week = schedule_for(business).week(local_now().date())
    page = render_template(
        "moderation/review.html",
        business=business,
        week=week,
        approve_form=EmptyForm(),
        reject_form=reject_form,
    )
    return page, status


@bp.route("/betrieb/<int:business_id>")
def review(business_id: int):
    return _render_review(business_id, RejectForm())


@bp.route("/betrieb/<int:business_id>/freigeben", methods=["POST"])
def approve(business_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        business = service.approve_business(current_user, business_id)
    except service.ModerationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("moderation.queue"))
    _notify_owners(
        business,
        "business_approved",
        _("Ihr Eintrag „%(name)s“ ist freigegeben", name=business.name),
    )
    flash(_("„%(name)s“ ist veröffentlicht.", name=business.name), "success")
    return redirect(url_for("moderation.queue"))


@bp.route("/betrieb/<int:business_id>/ablehnen", methods=["POST"])
def reject(business_id: int):
    form = RejectForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        business = service.reject_business(current_user, business_id, form.reason.data)
    except service.ModerationError as exc:
        form.reason.errors = [exc.message]
        return _render_review(business_id, form, 422)
    _notify_owners(
        business,
        "business_rejected",
        _("Ihr Eintrag „%(name)s“ wurde nicht freigegeben", name=business.name),
    )
    flash(
        _("„%(name)s“ ist abgelehnt; die Inhaber sind benachrichtigt.", name=business.name),
        "success",
    )
    return redirect(url_for("moderation.queue"))


@bp.route("/protokoll")
def audit_log():
    def as_int(name):
        value = request.args.get(name, "")
        return int(value) if value.isdigit() else None

    filters = service.AuditFilter(
        business_id=as_int("betrieb"),
        actor_id=as_int("wer"),
        action=request.args.get("aktion")
        if request.args.get("aktion") in service.ACTIONS
        else None,
    )
    return render_template(
        "moderation/log.html",
        page=service.audit_log(filters, page_number()),
        filters=filters,
        actions=service.ACTIONS,
        moderators=service.moderators(),
    )
