"""/moderation: the review queue, decisions on new entries and the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hallobot.directory import fields
from hallobot.directory import service as directory
from hallobot.directory.hours import local_now, schedule_for
from hallobot.moderation import queue as moderation_queue
from hallobot.moderation import service
from hallobot.moderation.blueprint import bp, notify_owners
from hallobot.moderation.forms import ApproveForm, RejectForm, UnpublishForm, seen_version
from hallobot.web import page_number, show_error


@bp.route("")
def queue():
    """Everything waiting, oldest first, in one list; ``?art=`` narrows it to one kind."""
    items = moderation_queue.queue_items()
    kind = request.args.get("art") or None
    return render_template(
        "moderation/queue.html",
        items=moderation_queue.filter_queue(items, kind),
        total=len(items),
        counts=moderation_queue.queue_counts(items),
        kinds=moderation_queue.QUEUE_KINDS,
        kind=kind if kind in moderation_queue.QUEUE_KINDS else None,
        labels=fields.LABELS,
        reasons=service.REPORT_REASONS,
    )


def _render_review(
    business_id: int,
    reject_form: RejectForm,
    status: int = 200,
    unpublish_form: UnpublishForm | None = None,
):
    business = directory.business_by_id(business_id) or abort(404)
    week = schedule_for(business).week(local_now().date())
    page = render_template(
        "moderation/review.html",
        business=business,
        week=week,
        delivery_text=directory.display_value(
            "delivery_options", directory.current_values(business)["delivery_options"]
        ),
        approve_form=ApproveForm(formdata=None, version=business.version),
        reject_form=reject_form,
        unpublish_form=unpublish_form or UnpublishForm(),
    )
    return page, status


@bp.route("/betrieb/<int:business_id>")
def review(business_id: int):
    return _render_review(business_id, RejectForm())


@bp.route("/betrieb/<int:business_id>/freigeben", methods=["POST"])
def approve(business_id: int):
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        business = service.approve_business(
            current_user, business_id, seen_version(form.version.data)
        )
    except service.ModerationError as exc:
        flash(exc.message, "error")
        if service.get_business(business_id) is not None:
            return redirect(url_for("moderation.review", business_id=business_id))
        return redirect(url_for("moderation.queue"))
    notify_owners(
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
        show_error(form, exc, "reason")
        return _render_review(business_id, form, 422)
    notify_owners(
        business,
        "business_rejected",
        _("Ihr Eintrag „%(name)s“ wurde nicht freigegeben", name=business.name),
    )
    flash(
        _("„%(name)s“ ist abgelehnt; die Inhaber sind benachrichtigt.", name=business.name),
        "success",
    )
    return redirect(url_for("moderation.queue"))


@bp.route("/betrieb/<int:business_id>/zuruecknehmen", methods=["POST"])
def unpublish(business_id: int):
    form = UnpublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        business = service.unpublish_business(current_user, business_id, form.reason.data)
    except service.ModerationError as exc:
        show_error(form, exc, "reason")
        return _render_review(business_id, RejectForm(), 422, unpublish_form=form)
    notify_owners(
        business,
        "business_unpublished",
        _("Ihr Eintrag „%(name)s“ ist nicht mehr öffentlich", name=business.name),
    )
    flash(_("„%(name)s“ ist nicht mehr öffentlich.", name=business.name), "success")
    return redirect(url_for("moderation.review", business_id=business_id))


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
