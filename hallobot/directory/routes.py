"""Public directory pages: home, category, district, business."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, send_file
from flask_login import current_user

from hallobot.accounts.permissions import can_edit, can_view_business
from hallobot.directory import media as media_store
from hallobot.directory import service
from hallobot.directory.hours import local_now, schedule_for
from hallobot.directory.presenters import schedule_state
from hallobot.web import page_number

bp = Blueprint("directory", __name__)


@bp.route("/")
def home():
    return render_template(
        "directory/home.html",
        categories=service.top_categories_with_counts(),
        districts=service.districts_with_counts(),
        newest=service.newest_businesses(8),
        total=service.count_published(),
    )


@bp.route("/kategorie/<slug>")
def category(slug: str):
    cat = service.category_by_slug(slug) or abort(404)
    page = service.businesses_in_category(cat, page_number(), current_app.config["PAGE_SIZE"])
    counts = service.subcategory_counts(cat) if cat.is_top_level else {}
    return render_template("directory/category.html", category=cat, page=page, counts=counts)


@bp.route("/stadtteil/<slug>")
def district(slug: str):
    dist = service.district_by_slug(slug) or abort(404)
    page = service.businesses_in_district(dist, page_number(), current_app.config["PAGE_SIZE"])
    return render_template("directory/district.html", district=dist, page=page)


@bp.route("/betrieb/<slug>")
def business(slug: str):
    biz = service.business_by_slug(slug)
    if biz is None or not can_view_business(current_user, biz):
        abort(404)
    schedule = schedule_for(biz)
    now = local_now()
    return render_template(
        "directory/business.html",
        business=biz,
        state=schedule_state(schedule),
        week=schedule.week(now.date()),
        today=now.date(),
        exceptions=schedule.upcoming_exceptions(now.date(), 30),
        news=service.current_news(biz, now.date()),
    )


PUBLIC_MAX_AGE = 86400


@bp.route("/medien/<key>-<int:size>.webp")
def media(key: str, size: int):
    """A photo rendition. Published photos of published businesses are public and may be
    cached for a day; uploads waiting for approval are shown only to the business's owners
    and to moderators, and never stored by caches."""
    if size not in media_store.SIZES or not key.isalnum():
        abort(404)
    item = media_store.media_by_key(key) or abort(404)
    public = media_store.is_public(item)
    if not public:
        biz = media_store.business_of(item)
        if biz is None or not can_edit(current_user, biz):
            abort(404)
    path = media_store.rendition_path(current_app.config["MEDIA_DIR"], key, size)
    if not path.is_file():
        abort(404)
    if public:  # a key's content never changes; a removed photo is gone within a day
        return send_file(path, mimetype="image/webp", conditional=True, max_age=PUBLIC_MAX_AGE)
    response = send_file(path, mimetype="image/webp", conditional=True, etag=True)
    response.cache_control.no_cache = None
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response
