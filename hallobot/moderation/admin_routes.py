"""Moderators keep the directory's frame: accounts (roles, blocking), categories and the
search's synonyms. One endpoint per action."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from hallobot.accounts.forms import EmptyForm
from hallobot.directory import service as directory
from hallobot.moderation import admin
from hallobot.moderation.blueprint import bp
from hallobot.moderation.forms import (
    ActiveForm,
    CategoryForm,
    RoleForm,
    SynonymForm,
    SynonymRowForm,
)
from hallobot.search import service as search_service
from hallobot.web import confirmed, form_page, form_status, page_number, submitted

# --- accounts ---


@bp.route("/nutzer")
def users():
    query = (request.args.get("q") or "").strip()[:254]
    return render_template(
        "moderation/users.html", page=admin.list_users(query, page_number()), query=query
    )


def _render_user(user_id: int, role_form=None, active_form=None):
    user = admin.get_user(user_id) or abort(404)
    role_form = role_form or RoleForm(formdata=None, role=user.role)
    active_form = active_form or ActiveForm(formdata=None)
    page = render_template(
        "moderation/user.html", user=user, role_form=role_form, active_form=active_form
    )
    return page, form_status(role_form, active_form)


@bp.route("/nutzer/<int:user_id>")
def user_detail(user_id: int):
    return _render_user(user_id)


@bp.route("/nutzer/<int:user_id>/rolle", methods=["POST"])
def user_role(user_id: int):
    form = RoleForm()
    done = submitted(
        form,
        lambda form: admin.change_role(current_user, user_id, form.role.data),
        _("Die Rolle ist geändert."),
        url_for("moderation.user_detail", user_id=user_id),
        "role",
    )
    return done or _render_user(user_id, role_form=form)


def _set_active(user_id: int, active: bool, done: str):
    form = ActiveForm()
    saved = submitted(
        form,
        lambda form: admin.set_active(current_user, user_id, active, form.reason.data),
        done,
        url_for("moderation.user_detail", user_id=user_id),
        "reason",
    )
    return saved or _render_user(user_id, active_form=form)


@bp.route("/nutzer/<int:user_id>/sperren", methods=["POST"])
def user_block(user_id: int):
    return _set_active(user_id, False, _("Das Konto ist gesperrt; alle Sitzungen sind beendet."))


@bp.route("/nutzer/<int:user_id>/entsperren", methods=["POST"])
def user_unblock(user_id: int):
    return _set_active(user_id, True, _("Das Konto ist entsperrt."))


# --- categories ---


def _category_form(**kwargs) -> CategoryForm:
    form = CategoryForm(**kwargs)
    form.parent_id.choices = [SelectChoice("", _("– keine (neue Oberkategorie) –"))] + [
        SelectChoice(c.id, c.name) for c in admin.category_tree()
    ]
    return form


@bp.route("/kategorien", methods=["GET", "POST"])
def categories():
    return form_page(
        "moderation/categories.html",
        _category_form(),
        lambda f: admin.create_category(
            current_user, f.name.data, f.name_en.data, f.icon.data, f.parent_id.data
        ),
        lambda category: _("Die Kategorie „%(name)s“ ist angelegt.", name=category.name),
        url_for("moderation.categories"),
        tree=admin.category_tree(),
        usage=admin.category_usage(),
    )


@bp.route("/kategorien/<int:category_id>", methods=["GET", "POST"])
def category_edit(category_id: int):
    category = directory.category_by_id(category_id) or abort(404)
    form = _category_form(obj=category)
    return form_page(
        "moderation/category.html",
        form,
        lambda f: admin.update_category(
            current_user, category_id, f.name.data, f.name_en.data, f.icon.data
        ),
        _("Die Kategorie ist gespeichert."),
        url_for("moderation.categories"),
        category=category,
        delete_form=EmptyForm(),
    )


@bp.route("/kategorien/<int:category_id>/loeschen", methods=["POST"])
def category_delete(category_id: int):
    directory.category_by_id(category_id) or abort(404)
    return confirmed(
        lambda: admin.delete_category(current_user, category_id),
        _("Die Kategorie ist gelöscht."),
        url_for("moderation.categories"),
        back=url_for("moderation.category_edit", category_id=category_id),
    )


# --- the search's synonyms ---


def _render_synonyms(form: SynonymForm, row: SynonymRowForm | None = None, group_id=None):
    page = render_template(
        "moderation/synonyms.html",
        groups=search_service.synonym_groups(),
        form=form,
        row_form=row or SynonymRowForm(formdata=None),
        edit_id=group_id,
    )
    return page, form_status(form, row or form)


@bp.route("/synonyme", methods=["GET", "POST"])
def synonyms():
    """The search's synonym groups: a word of a group also finds the others."""
    form = SynonymForm(prefix="neu")
    done = submitted(
        form,
        lambda form: admin.save_synonym_group(current_user, None, form.terms.data),
        _("Die Gruppe ist angelegt und gilt sofort für die Suche."),
        url_for("moderation.synonyms"),
    )
    return done or _render_synonyms(form)


@bp.route("/synonyme/<int:group_id>", methods=["POST"])
def synonym_save(group_id: int):
    row = SynonymRowForm()
    done = submitted(
        row,
        lambda row: admin.save_synonym_group(current_user, group_id, row.terms.data),
        _("Die Gruppe ist gespeichert."),
        url_for("moderation.synonyms"),
        "terms",
    )
    return done or _render_synonyms(SynonymForm(formdata=None, prefix="neu"), row, group_id)


@bp.route("/synonyme/<int:group_id>/loeschen", methods=["POST"])
def synonym_delete(group_id: int):
    return confirmed(
        lambda: admin.delete_synonym_group(current_user, group_id),
        _("Die Gruppe ist gelöscht."),
        url_for("moderation.synonyms"),
    )
