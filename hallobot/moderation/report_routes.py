"""Reports: anyone reports a problem with an entry; moderators resolve it, or correct the
entry themselves (the "edit" outcome)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hallobot.directory import fields
from hallobot.directory import service as directory
from hallobot.extensions import limiter
from hallobot.moderation import service
from hallobot.moderation.blueprint import bp, notify_owners, reports_bp
from hallobot.moderation.forms import CorrectionForm, ReportForm, ResolveForm, seen_version
from hallobot.web import show_error


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
                notify_owners(
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


def _mail_correction(report, changes: dict) -> None:
    notify_owners(
        report.business,
        "business_corrected",
        _("Ihr Eintrag „%(name)s“ wurde korrigiert", name=report.business.name),
        changes=[(str(fields.LABELS[k]), old, new) for k, (old, new) in changes.items()],
        note=report.resolution_note,
    )


@bp.route("/meldung/<int:report_id>/korrigieren", methods=["POST"])
def correct_report(report_id: int):
    """The "edit" outcome of a report: correct the entry and close the report."""
    report = service.get_report(report_id) or abort(404)
    correction = CorrectionForm(prefix=CORRECTION)
    if correction.validate_on_submit():
        values = fields.cleaned({k: correction[k].data for k in fields.CORRECTABLE})
        seen = seen_version(correction.version.data)
        try:
            changes = service.correct_from_report(
                current_user, report_id, values, correction.note.data, seen
            )
        except service.ModerationError as exc:
            if exc.field != "stale":
                show_error(correction, exc, "note")
                return _render_report(report, ResolveForm(formdata=None), correction, 422)
            flash(exc.message, "error")  # show the current values; nothing was written
            return _render_report(report, ResolveForm(formdata=None), _correction_form(report), 409)
        _mail_correction(report, changes)
        flash(_("Der Eintrag ist korrigiert und die Meldung erledigt."), "success")
        return redirect(url_for("moderation.queue"))
    return _render_report(report, ResolveForm(formdata=None), correction, 422)
