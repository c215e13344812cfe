"""Public directory pages: home, category, district, business (with its delivery check)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from hallobot.accounts.permissions import can_edit, can_view_business
from hallobot.directory import delivery, service
from hallobot.directory import media as media_store
from hallobot.directory.hours import local_now, schedule_for
from hallobot.directory.presenters import schedule_state
from hallobot.extensions import limiter
from hallobot.geo.service import GeocoderSettings
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


def _visible_or_404(slug: str):
    biz = service.business_by_slug(slug)
    if biz is None or not can_view_business(current_user, biz):
        abort(404)
    return biz


def _business_page(biz, **extra):
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
        **extra,
    )


@bp.route("/betrieb/<slug>")
def business(slug: str):
    return _business_page(_visible_or_404(slug))


def _only_a_postcode() -> bool:
    """A bare postcode is checked without the geocoder: no limit for it."""
    return delivery.bare_postcode(request.args.get("adresse", "")) is not None


@bp.route("/betrieb/<slug>/liefergebiet")
@limiter.limit("20 per minute;300 per day", exempt_when=_only_a_postcode)
def delivery_check(slug: str):
    """The business page with the answer to "Liefert der Betrieb zu Ihnen?" (a GET form)."""
    biz = _visible_or_404(slug)
    if not delivery.delivery_options(biz):
        abort(404)
    if "adresse" not in request.args:
        return redirect(url_for(".business", slug=biz.slug, _anchor="liefercheck"))
    settings = GeocoderSettings.from_config(current_app.config)
    check = delivery.check_delivery(biz, request.args["adresse"], settings)
    return _business_page(biz, delivery_check=check)


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
