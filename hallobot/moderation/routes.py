"""/moderation: the review queue, decisions on new entries and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import (
    SelectChoice,
)

from hallobot.accounts.forms import EmptyForm
from hallobot.directory import fields
from hallobot.directory import service as directory
from hallobot.directory.hours import local_now, schedule_for
from hallobot.extensions import db, limiter
from hallobot.mail.service import MailError, send_template
from hallobot.moderation import service
from hallobot.moderation.forms import (
    ActiveForm,
    CategoryForm,
    ClaimDecisionForm,
    CorrectionForm,
    RejectForm,
    ReportForm,
    ResolveForm,
    RoleForm,
    SynonymForm,
    UnpublishForm,
)
from hallobot.search import service as search_service
from hallobot.vouchers import offer_fields
from hallobot.vouchers import offers as voucher_offers
from hallobot.vouchers.forms import OfferForm
from hallobot.web import page_number, show_error

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


def _media_root() -> str:
    return current_app.config["MEDIA_DIR"]


reports_bp = Blueprint("reports", __name__)


@reports_bp.route("/betrieb/<slug>/melden", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def report(slug: str):
    business = directory.business_by_slug(slug)
    if business is None or not business.is_published:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        if form.homepage.data:  # a bot: answer as if all went well, store nothing
            flash(_("Danke für Ihre Meldung! Unsere Moderation kümmert sich darum."), "success")
            return redirect(url_for("directory.business", slug=slug))
        try:
            service.create_report(business, form.reason.data, form.message.data, form.email.data)
        except service.ModerationError as exc:
            show_error(form, exc, "reason")
        else:
            flash(_("Danke für Ihre Meldung! Unsere Moderation kümmert sich darum."), "success")
            return redirect(url_for("directory.business", slug=slug))
    return render_template("moderation/report_form.html", business=business, form=form)


def _notify_owners(business, template: str, subject: str, **context) -> None:
    """E-mail every owner; a failed delivery does not stop the others (one message)."""
    failed = False
    for owner in business.owners:
        try:
            send_template(
                owner.email,
                subject,
                template,
                business=business,
                owner=owner,
                link=url_for("owner.dashboard", _external=True),
                **context,
            )
        except MailError:
            failed = True
    if failed:
        flash(
            _(
                "Die Entscheidung ist gespeichert, aber die E-Mail an die Inhaber konnte "
                "nicht versendet werden."
            ),
            "error",
        )


@bp.route("")
def queue():
    """Everything waiting, oldest first, in one list; ``?art=`` narrows it to one kind."""
    items = service.queue_items()
    kind = request.args.get("art") or None
    return render_template(
        "moderation/queue.html",
        items=service.filter_queue(items, kind),
        total=len(items),
        counts=service.queue_counts(items),
        kinds=service.QUEUE_KINDS,
        kind=kind if kind in service.QUEUE_KINDS else None,
        labels=fields.LABELS,
        reasons=service.REPORT_REASONS,
    )


CORRECTION = "korrektur"  # field prefix: the page holds two forms with a "note"


def _correction_form(report) -> CorrectionForm:
    values = directory.current_values(report.business)
    data = {k: values[k] for k in fields.CORRECTABLE} | {"version": report.business.version}
    return CorrectionForm(formdata=None, prefix=CORRECTION, data=data)


def _render_report(report, form: ResolveForm, correction: CorrectionForm, status: int = 200):
    page = render_template(
        "moderation/report.html",
        report=report,
        form=form,
        correction=correction,
        reasons=service.REPORT_REASONS,
    )
    return page, status


@bp.route("/meldung/<int:report_id>", methods=["GET", "POST"])
def report_detail(report_id: int):
    report = service.get_report(report_id) or abort(404)
    form = ResolveForm()
    if form.validate_on_submit():
        try:
            service.resolve_report(current_user, report_id, form.outcome.data, form.note.data)
        except service.ModerationError as exc:
            show_error(form, exc, "note")
        else:
            if form.outcome.data == "unpublish":
                _notify_owners(
                    report.business,
                    "business_unpublished",
                    _(
                        "Ihr Eintrag „%(name)s“ ist nicht mehr öffentlich",
                        name=report.business.name,
                    ),
                )
            flash(_("Die Meldung ist erledigt."), "success")
            return redirect(url_for("moderation.queue"))
    return _render_report(report, form, _correction_form(report), 422 if form.errors else 200)


@bp.route("/meldung/<int:report_id>/korrigieren", methods=["POST"])
def correct_report(report_id: int):
    """The "edit" outcome of a report: correct the entry and close the report."""
    report = service.get_report(report_id) or abort(404)
    correction = CorrectionForm(prefix=CORRECTION)
    if correction.validate_on_submit():
        values = fields.cleaned({k: correction[k].data for k in fields.CORRECTABLE})
        try:
            seen = int(correction.version.data or 0)
        except ValueError:
            seen = None
        try:
            changes = service.correct_from_report(
                current_user, report_id, values, correction.note.data, seen
            )
        except service.ModerationError as exc:
            if exc.field == "stale":  # show the current values; nothing was written
                flash(exc.message, "error")
                report = service.get_report(report_id)
                return _render_report(
                    report, ResolveForm(formdata=None), _correction_form(report), 409
                )
            show_error(correction, exc, "note")
        else:
            labels = fields.LABELS
            _notify_owners(
                report.business,
                "business_corrected",
                _("Ihr Eintrag „%(name)s“ wurde korrigiert", name=report.business.name),
                changes=[(str(labels[k]), old, new) for k, (old, new) in changes.items()],
                note=report.resolution_note,
            )
            flash(_("Der Eintrag ist korrigiert und die Meldung erledigt."), "success")
            return redirect(url_for("moderation.queue"))
    return _render_report(report, ResolveForm(formdata=None), correction, 422)


@bp.route("/betrieb/<int:business_id>/zuruecknehmen", methods=["POST"])
def unpublish(business_id: int):
    form = UnpublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        business = service.unpublish_business(current_user, business_id, form.reason.data)
    except service.ModerationError as exc:
        form.reason.errors = [exc.message]
        return _render_review(business_id, RejectForm(), 422, unpublish_form=form)
    _notify_owners(
        business,
        "business_unpublished",
        _("Ihr Eintrag „%(name)s“ ist nicht mehr öffentlich", name=business.name),
    )
    flash(_("„%(name)s“ ist nicht mehr öffentlich.", name=business.name), "success")
    return redirect(url_for("moderation.review", business_id=business_id))


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
        approve_form=EmptyForm(),
        reject_form=reject_form,
        unpublish_form=unpublish_form or UnpublishForm(),
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
        seen = int(request.form.get("version") or 0)
    except ValueError:
        seen = None
    try:
        business = service.approve_business(current_user, business_id, seen)
    except service.ModerationError as exc:
        flash(exc.message, "error")
        if service.get_business(business_id) is not None:
            return redirect(url_for("moderation.review", business_id=business_id))
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


@bp.route("/nutzer")
def users():
    query = (request.args.get("q") or "").strip()[:254]
    return render_template(
        "moderation/users.html", page=service.list_users(query, page_number()), query=query
    )


@bp.route("/nutzer/<int:user_id>", methods=["GET", "POST"])
def user_detail(user_id: int):
    user = service.get_user(user_id) or abort(404)
    role_form, active_form = RoleForm(role=user.role), ActiveForm()
    action = request.form.get("action")
    try:
        if action == "role" and role_form.validate_on_submit():
            service.change_role(current_user, user_id, role_form.role.data)
            flash(_("Die Rolle ist geändert."), "success")
            return redirect(url_for("moderation.user_detail", user_id=user_id))
        if action in ("deactivate", "reactivate") and active_form.validate_on_submit():
            service.set_active(
                current_user, user_id, action == "reactivate", active_form.reason.data
            )
            flash(
                _("Das Konto ist entsperrt.")
                if action == "reactivate"
                else _("Das Konto ist gesperrt; alle Sitzungen sind beendet."),
                "success",
            )
            return redirect(url_for("moderation.user_detail", user_id=user_id))
    except service.ModerationError as exc:
        target = role_form.role if action == "role" else active_form.reason
        target.errors = [*target.errors, exc.message]
    status = 422 if role_form.errors or active_form.errors else 200
    page = render_template(
        "moderation/user.html", user=user, role_form=role_form, active_form=active_form
    )
    return page, status


def _category_form(**kwargs) -> CategoryForm:
    form = CategoryForm(**kwargs)
    form.parent_id.choices = [SelectChoice("", _("– keine (neue Oberkategorie) –"))] + [
        SelectChoice(c.id, c.name) for c in service.category_tree()
    ]
    return form


@bp.route("/kategorien", methods=["GET", "POST"])
def categories():
    form = _category_form()
    if form.validate_on_submit():
        try:
            category = service.create_category(
                current_user,
                form.name.data,
                form.name_en.data,
                form.icon.data,
                form.parent_id.data,
            )
        except service.ModerationError as exc:
            show_error(form, exc)
        else:
            flash(_("Die Kategorie „%(name)s“ ist angelegt.", name=category.name), "success")
            return redirect(url_for("moderation.categories"))
    page = render_template(
        "moderation/categories.html",
        tree=service.category_tree(),
        usage=service.category_usage(),
        form=form,
    )
    return page, 422 if form.errors else 200


@bp.route("/kategorien/<int:category_id>", methods=["GET", "POST"])
def category_edit(category_id: int):
    category = directory.category_by_id(category_id) or abort(404)
    form = _category_form(obj=category)
    delete_form = EmptyForm()
    if request.form.get("action") == "delete" and delete_form.validate_on_submit():
        try:
            service.delete_category(current_user, category_id)
        except service.ModerationError as exc:
            flash(exc.message, "error")
            return redirect(url_for("moderation.category_edit", category_id=category_id))
        flash(_("Die Kategorie ist gelöscht."), "success")
        return redirect(url_for("moderation.categories"))
    if request.form.get("action") == "save" and form.validate_on_submit():
        try:
            service.update_category(
                current_user, category_id, form.name.data, form.name_en.data, form.icon.data
            )
        except service.ModerationError as exc:
            show_error(form, exc)
        else:
            flash(_("Die Kategorie ist gespeichert."), "success")
            return redirect(url_for("moderation.categories"))
    page = render_template(
        "moderation/category.html", category=category, form=form, delete_form=delete_form
    )
    return page, 422 if form.errors else 200


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


@bp.route("/antrag/<int:claim_id>", methods=["GET", "POST"])
def claim_detail(claim_id: int):
    claim = service.get_claim(claim_id) or abort(404)
    form = ClaimDecisionForm()
    action = request.form.get("action")
    if action in ("approve", "reject") and form.validate_on_submit():
        try:
            if action == "approve":
                decided = service.approve_claim(current_user, claim_id)
            else:
                decided = [service.reject_claim(current_user, claim_id, form.reason.data)]
        except service.ModerationError as exc:
            show_error(form, exc)
        else:
            for each in decided:
                _mail_claimant(each)
            flash(_("Über den Antrag ist entschieden."), "success")
            return redirect(url_for("moderation.queue"))
    page = render_template("moderation/claim.html", claim=claim, form=form)
    return page, 422 if form.errors else 200


@bp.route("/aenderung/<int:revision_id>", methods=["GET", "POST"])
def revision_detail(revision_id: int):
    revision = service.get_revision(revision_id) or abort(404)
    form = ClaimDecisionForm()
    action = request.form.get("action")
    status = 200
    if action in ("approve", "reject") and form.validate_on_submit():
        seen = request.form.get("seen", "")
        try:
            if action == "approve":
                service.approve_revision(current_user, revision_id, seen, _media_root())
            else:
                service.reject_revision(
                    current_user, revision_id, form.reason.data, seen, _media_root()
                )
        except service.ModerationError as exc:
            revision = service.get_revision(revision_id)
            show_error(form, exc)
            status = 409 if exc.message is service.SEEN_CHANGED else 422
        else:
            business = revision.business
            if action == "approve":
                subject = _("Ihre Änderungen an „%(name)s“ sind online", name=business.name)
            else:
                subject = _(
                    "Ihre Änderungen an „%(name)s“ wurden nicht freigegeben", name=business.name
                )
            _notify_owners(business, f"revision_{revision.status}", subject, revision=revision)
            flash(_("Über die Änderung ist entschieden."), "success")
            return redirect(url_for("moderation.queue"))
    page = render_template(
        "moderation/revision.html",
        revision=revision,
        seen=service.revision_seen(revision),
        form=form,
        diff=service.revision_diff(revision),
    )
    return page, 422 if form.errors else status


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


@bp.route("/synonyme", methods=["GET", "POST"])
def synonyms():
    """The search's synonym groups: a word of a group also finds the others."""
    form = SynonymForm(prefix="neu")
    delete_form = EmptyForm()
    if request.form.get("action") == "delete" and delete_form.validate_on_submit():
        try:
            service.delete_synonym_group(current_user, int(request.form.get("group_id", 0)))
        except (service.ModerationError, ValueError):
            flash(_("Diese Gruppe gibt es nicht (mehr)."), "error")
        else:
            flash(_("Die Gruppe ist gelöscht."), "success")
        return redirect(url_for("moderation.synonyms"))
    if request.form.get("action") == "create" and form.validate_on_submit():
        try:
            service.save_synonym_group(current_user, None, form.terms.data)
        except service.ModerationError as exc:
            show_error(form, exc)
        else:
            flash(_("Die Gruppe ist angelegt und gilt sofort für die Suche."), "success")
            return redirect(url_for("moderation.synonyms"))
    edit_id, edit_error = None, None
    if request.form.get("action") == "save" and delete_form.validate_on_submit():
        try:
            edit_id = int(request.form.get("group_id", 0))
            service.save_synonym_group(current_user, edit_id, request.form.get("terms", ""))
        except ValueError:
            abort(400)
        except service.ModerationError as exc:
            edit_error = exc.message
        else:
            flash(_("Die Gruppe ist gespeichert."), "success")
            return redirect(url_for("moderation.synonyms"))
    page = render_template(
        "moderation/synonyms.html",
        groups=search_service.synonym_groups(),
        form=form,
        row_form=delete_form,
        edit_id=edit_id,
        edit_error=edit_error,
        edit_value=request.form.get("terms", ""),
    )
    return page, 422 if form.errors or edit_error else 200


# --- voucher offers: decisions, and the administration's Bottrop-Gutschein ---


@bp.route("/gutscheinangebot/<int:offer_id>", methods=["GET", "POST"])
def offer_detail(offer_id: int):
    offer = voucher_offers.offer_by_id(db.session, offer_id) or abort(404)
    form = ClaimDecisionForm()
    action = request.form.get("action")
    status = 200
    if action in ("approve", "reject") and form.validate_on_submit():
        seen = request.form.get("seen", "")
        try:
            if action == "approve":
                offer = service.approve_offer(current_user, offer_id, seen)
            else:
                offer = service.reject_offer(current_user, offer_id, form.reason.data, seen)
        except service.ModerationError as exc:
            offer = voucher_offers.offer_by_id(db.session, offer_id)
            show_error(form, exc)
            status = 409 if exc.message is voucher_offers.SEEN_CHANGED else 422
        else:
            if offer.business is not None:
                subject = (
                    _("Ihr Gutscheinangebot „%(title)s“ ist online", title=offer.title)
                    if action == "approve"
                    else _(
                        "Ihr Gutscheinangebot „%(title)s“ wurde nicht freigegeben",
                        title=offer.title,
                    )
                )
                _notify_owners(
                    offer.business,
                    f"offer_{offer.status}",
                    subject,
                    offer=offer,
                    offer_link=url_for("offers.offer_page", offer_id=offer.id, _external=True),
                    offers_link=url_for(
                        "offers.owner_offers", slug=offer.business.slug, _external=True
                    ),
                )
            flash(_("Über das Gutscheinangebot ist entschieden."), "success")
            return redirect(url_for("moderation.queue"))
    page = render_template(
        "vouchers/offer_review.html",
        offer=offer,
        seen=voucher_offers.offer_seen(offer),
        changes=voucher_offers.changes(db.session, offer),
        form=form,
    )
    return page, 422 if form.errors and status == 200 else status


@bp.route("/bottrop-gutschein", methods=["GET", "POST"])
def city_offer():
    """The administration's offer of the Bottrop-Gutschein: published when saved."""
    offer = voucher_offers.city_offer(db.session)
    withdraw_form = EmptyForm()
    if request.form.get("action") == "withdraw" and withdraw_form.validate_on_submit():
        try:
            service.withdraw_city_offer(current_user)
        except service.ModerationError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Der Bottrop-Gutschein wird nicht mehr angeboten."), "success")
        return redirect(url_for("moderation.city_offer"))
    if request.method == "GET":
        data = vars(offer_fields.input_of(offer)) if offer else {"pay_by_transfer": True}
        form = OfferForm(formdata=None, data=data)
    else:
        form = OfferForm()
    if request.form.get("action") == "save" and form.validate_on_submit():
        try:
            offer = service.save_city_offer(current_user, form.offer_input())
        except voucher_offers.OfferInvalid as exc:
            show_error(form, exc)
        except service.ModerationError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Der Bottrop-Gutschein ist gespeichert und veröffentlicht."), "success")
            return redirect(url_for("moderation.city_offer"))
    page = render_template(
        "vouchers/offer_city.html", offer=offer, form=form, withdraw_form=withdraw_form
    )
    return page, 422 if form.errors else 200
