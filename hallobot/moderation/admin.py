"""What moderators keep in order besides the entries: accounts (roles, blocking),
categories and the search's synonym groups. Every change is logged."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hallobot.accounts.models import User, new_session_token
from hallobot.directory.models import Business, Category
from hallobot.directory.slugs import unique_slug
from hallobot.extensions import db
from hallobot.moderation.service import ModerationError, check_reason, record
from hallobot.search.models import SynonymGroup
from hallobot.search.text import STOPWORDS
from hallobot.text import fold, one_line
from hallobot.transaction import transactional

STAFF_ROLES = ("moderator", "admin")


def list_users(query: str, page: int, per_page: int = 50) -> Pagination:
    stmt = select(User).order_by(User.email)
    query = (query or "").strip().lower()
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(User.email.like(f"%{escaped}%", escape="\\"))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=True)


def _editable_user(actor: User, user_id: int) -> User:
    user = db.session.get(User, user_id, with_for_update=True)
    if user is None:
        raise ModerationError(_l("Dieses Konto gibt es nicht."))
    if user.id == actor.id:
        raise ModerationError(_l("Ihr eigenes Konto können Sie hier nicht ändern."))
    if user.role in STAFF_ROLES and actor.role != "admin":
        raise ModerationError(_l("Konten der Moderation kann nur die Administration ändern."))
    return user


@transactional
def change_role(actor: User, user_id: int, role: str) -> User:
    """Set a user's role; only admins grant or take moderator and admin rights."""
    if role not in ("shopper", "owner", "moderator", "admin"):
        raise ModerationError(_l("Unbekannte Rolle."), "role")
    if role in STAFF_ROLES and actor.role != "admin":
        raise ModerationError(
            _l("Moderations- und Administrationsrechte vergibt nur die Administration."), "role"
        )
    user = _editable_user(actor, user_id)
    if user.role == role:
        return user
    old = user.role
    user.role = role
    record(
        actor, "user.role_changed", None, "", user_id=user.id, email=user.email, old=old, new=role
    )
    return user


@transactional
def set_active(actor: User, user_id: int, active: bool, reason: str) -> User:
    """Deactivate (ends every session at once) or reactivate an account, with a reason."""
    reason = check_reason(reason, _l("Bitte begründen Sie die Änderung (mindestens 10 Zeichen)."))
    user = _editable_user(actor, user_id)
    if user.active == active:
        return user
    user.active = active
    if not active:
        user.session_token = new_session_token()
    record(
        actor,
        "user.reactivated" if active else "user.deactivated",
        None,
        reason,
        user_id=user.id,
        email=user.email,
    )
    return user


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


ICONS = ("utensils", "basket", "shirt", "heart", "hammer", "flower", "ticket", "briefcase", "tag")


def category_tree() -> list[Category]:
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.parent_id.is_(None))
            .options(selectinload(Category.children))
            .order_by(Category.position, Category.name)
        )
    )


def category_usage() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Business.category_id, func.count(Business.id)).group_by(Business.category_id)
        ).all()
    )


def _category_fields(name: str, name_en: str, icon: str, parent_id: int | None):
    name, name_en = one_line(name), one_line(name_en)
    if not 2 <= len(name) <= 80:
        raise ModerationError(_l("Der Name muss 2 bis 80 Zeichen lang sein."), "name")
    if len(name_en) > 80:
        raise ModerationError(_l("Höchstens 80 Zeichen."), "name_en")
    if icon not in ICONS:
        raise ModerationError(_l("Bitte wählen Sie ein Symbol."), "icon")
    parent = None
    if parent_id:
        parent = db.session.get(Category, parent_id)
        if parent is None or parent.parent_id is not None:
            raise ModerationError(
                _l("Oberkategorien haben keine eigene Oberkategorie."), "parent_id"
            )
    return name, name_en, parent


@transactional
def create_category(
    actor: User, name: str, name_en: str, icon: str, parent_id: int | None
) -> Category:
    name, name_en, parent = _category_fields(name, name_en, icon, parent_id)
    slug = unique_slug(
        name, lambda s: db.session.scalar(select(Category.id).where(Category.slug == s)) is not None
    )
    position = (
        db.session.scalar(
            select(func.max(Category.position)).where(
                Category.parent_id == (parent.id if parent else None)
            )
        )
        or 0
    ) + 1
    category = Category(
        slug=slug, name=name, name_en=name_en, icon=icon, parent=parent, position=position
    )
    db.session.add(category)
    db.session.flush()
    record(actor, "category.created", None, "", category_id=category.id, name=name)
    return category


@transactional
def update_category(actor: User, category_id: int, name: str, name_en: str, icon: str) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        raise ModerationError(_l("Diese Kategorie gibt es nicht."))
    name, name_en, _parent = _category_fields(name, name_en, icon, category.parent_id)
    old = category.name
    category.name, category.name_en, category.icon = name, name_en, icon
    record(actor, "category.updated", None, "", category_id=category.id, old=old, new=name)
    return category


@transactional
def delete_category(actor: User, category_id: int) -> None:
    category = db.session.get(Category, category_id)
    if category is None:
        raise ModerationError(_l("Diese Kategorie gibt es nicht."))
    if category.children:
        raise ModerationError(_l("Die Kategorie hat noch Unterkategorien."))
    in_use = db.session.scalar(
        select(func.count(Business.id)).where(Business.category_id == category.id)
    )
    if in_use:
        raise ModerationError(
            _l("Die Kategorie wird noch von %(n)d Einträgen verwendet.", n=in_use)
        )
    record(actor, "category.deleted", None, "", category_id=category.id, name=category.name)
    db.session.delete(category)


def _synonym_terms(raw: str) -> str:
    terms = []
    for term in (raw or "").replace("\n", ",").split(","):
        term = one_line(term)
        if term and fold(term) not in {fold(t) for t in terms}:
            terms.append(term)
    if len(terms) < 2:
        raise ModerationError(
            _l("Bitte mindestens zwei Wörter angeben, durch Komma getrennt."), "terms"
        )
    if any(len(fold(t)) < 3 for t in terms):
        raise ModerationError(_l("Jedes Wort braucht mindestens drei Buchstaben."), "terms")
    if any(fold(t).split()[0] in STOPWORDS for t in terms):
        raise ModerationError(
            _l("Füllwörter wie „und“ oder „mit“ finden fast alles; bitte weglassen."), "terms"
        )
    if len(terms) > 20 or any(len(t) > 60 for t in terms):
        raise ModerationError(_l("Höchstens 20 Wörter mit je bis zu 60 Zeichen."), "terms")
    return ", ".join(terms)


@transactional
def save_synonym_group(actor: User, group_id: int | None, raw: str) -> SynonymGroup:
    """Create or change a synonym group; the search uses it at once (no reindex needed)."""
    terms = _synonym_terms(raw)
    if group_id is None:
        group = SynonymGroup(terms=terms)
        db.session.add(group)
        db.session.flush()
        record(actor, "synonyms.created", None, "", group_id=group.id, terms=terms)
    else:
        group = db.session.get(SynonymGroup, group_id)
        if group is None:
            raise ModerationError(_l("Diese Gruppe gibt es nicht (mehr)."))
        record(actor, "synonyms.updated", None, "", group_id=group.id, old=group.terms, new=terms)
        group.terms = terms
    return group


@transactional
def delete_synonym_group(actor: User, group_id: int) -> None:
    group = db.session.get(SynonymGroup, group_id)
    if group is None:
        raise ModerationError(_l("Diese Gruppe gibt es nicht (mehr)."))
    record(actor, "synonyms.deleted", None, "", group_id=group.id, terms=group.terms)
    db.session.delete(group)
