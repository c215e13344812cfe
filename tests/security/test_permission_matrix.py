"""Every route × every role gets the intended answer.

The table below lists, for each endpoint in ``app.url_map``, how to call it and what each
role receives. A new route without an entry here (or in ``ENDPOINT_ACCESS``) fails.
"""

from __future__ import annotations

import re

import pytest

from hallobot.accounts.permissions import ENDPOINT_ACCESS
from hallobot.extensions import db
from hallobot.moderation.models import Revision
from hallobot.moderation.service import create_report
from hallobot.owner.editing import edit_marker
from hallobot.owner.media import process_image
from hallobot.owner.ownership import invite_co_owner, request_claim
from hallobot.owner.photos import add_photo
from tests.conftest import post_form
from tests.factories import PASSWORD
from tests.images import make_image_bytes

ROLES = ("anonymous", "shopper", "other_owner", "owner", "moderator", "admin")
ALL_200 = dict.fromkeys(ROLES, 200)
LOGGED_IN_200 = {"anonymous": "login", **dict.fromkeys(ROLES[1:], 200)}
# owner pages of the owner's draft: other people get 404 (the entry is not theirs)
OWNER_ONLY = {
    "anonymous": "login",
    "shopper": 404,
    "other_owner": 404,
    "owner": 200,
    "moderator": 404,
    "admin": 404,
}
MODERATORS_ONLY = {
    "anonymous": "login",
    "shopper": 403,
    "other_owner": 403,
    "owner": 403,
    "moderator": 200,
    "admin": 200,
}
ADMINS_ONLY = {**MODERATORS_ONLY, "moderator": 403}
ALL_404 = dict.fromkeys(ROLES, 404)
GUEST_PAGE = {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}  # logged in: to /konto

# endpoint -> (method, path, expected per role); "login" = redirect to the login page.
# {draft} is a draft business of "owner", {published} a published one of theirs (a bakery).
MATRIX = {
    "static": ("GET", "/static/css/hallobot.css", ALL_200),
    "directory.home": ("GET", "/", ALL_200),
    "directory.category": ("GET", "/kategorie/lebensmittel", ALL_200),
    "directory.district": ("GET", "/stadtteil/eigen", ALL_200),
    "directory.business": (
        "GET",
        "/betrieb/{draft}",
        {
            "anonymous": 404,
            "shopper": 404,
            "other_owner": 404,
            "owner": 200,
            "moderator": 200,
            "admin": 200,
        },
    ),
    "directory.delivery_check": (
        "GET",
        "/betrieb/{published}/liefergebiet?adresse=46236",
        ALL_200,
    ),
    "search.search": ("GET", "/suche?q=brot", ALL_200),
    "search.map_page": ("GET", "/karte?lieferung=1", ALL_200),
    "api.suggest": ("GET", "/api/v1/suggest?q=bae", ALL_200),
    "api.businesses_geojson": ("GET", "/api/v1/businesses.geojson?q=brot", ALL_200),
    "api.business_popup": ("GET", "/api/v1/businesses/{published_id}/popup", ALL_200),
    "pages.impressum": ("GET", "/impressum", ALL_200),
    "pages.datenschutz": ("GET", "/datenschutz", ALL_200),
    "pages.healthz": ("GET", "/healthz", ALL_200),
    "pages.language": ("GET", "/sprache/de", dict.fromkeys(ROLES, 302)),
    "accounts.register": ("GET", "/konto/registrieren", GUEST_PAGE),
    "accounts.confirm": ("GET", "/konto/bestaetigen/ungueltig", dict.fromkeys(ROLES, 302)),
    "accounts.login": ("GET", "/konto/anmelden", GUEST_PAGE),
    "accounts.logout": ("POST", "/konto/abmelden", dict.fromkeys(ROLES, 302)),
    "accounts.forgot_password": ("GET", "/konto/passwort-vergessen", ALL_200),
    "accounts.reset_password": ("GET", "/konto/passwort-neu/ungueltig", dict.fromkeys(ROLES, 302)),
    "accounts.account": ("GET", "/konto", LOGGED_IN_200),
    "accounts.change_password": ("POST", "/konto/passwort", LOGGED_IN_200),
    "accounts.resend_confirmation": (
        "POST",
        "/konto/bestaetigung-senden",
        {"anonymous": "login", **dict.fromkeys(ROLES[1:], 302)},
    ),
    "owner.dashboard": ("GET", "/mein-betrieb", LOGGED_IN_200),
    "owner.new_business": ("GET", "/mein-betrieb/neu", LOGGED_IN_200),
    "owner.submit": (
        "POST",
        "/mein-betrieb/{draft}/einreichen",
        {**OWNER_ONLY, "owner": 302},
    ),
    "moderation.queue": ("GET", "/moderation", MODERATORS_ONLY),
    "moderation.review": ("GET", "/moderation/betrieb/{draft_id}", MODERATORS_ONLY),
    "moderation.approve": (
        "POST",
        "/moderation/betrieb/{pending_id}/freigeben",
        {**MODERATORS_ONLY, "moderator": 302, "admin": 302},
    ),
    "moderation.reject": (  # without a reason: refused, the form is shown again
        "POST",
        "/moderation/betrieb/{pending_id}/ablehnen",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "moderation.audit_log": ("GET", "/moderation/protokoll", MODERATORS_ONLY),
    "moderation.report_detail": ("GET", "/moderation/meldung/{report_id}", MODERATORS_ONLY),
    "moderation.correct_report": (  # an empty correction: refused, the form is shown again
        "POST",
        "/moderation/meldung/{report_id}/korrigieren",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "moderation.unpublish": (  # without a reason: refused, the form is shown again
        "POST",
        "/moderation/betrieb/{published_id}/zuruecknehmen",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "reports.report": ("GET", "/betrieb/{published}/melden", ALL_200),
    "moderation.users": ("GET", "/moderation/nutzer?q=beispiel", MODERATORS_ONLY),
    "moderation.user_detail": ("GET", "/moderation/nutzer/{shopper_id}", MODERATORS_ONLY),
    "moderation.categories": ("GET", "/moderation/kategorien", MODERATORS_ONLY),
    "moderation.synonyms": ("GET", "/moderation/synonyme", MODERATORS_ONLY),
    # one endpoint per action; posted empty, each is refused with its form shown again
    "moderation.user_role": (
        "POST",
        "/moderation/nutzer/{shopper_id}/rolle",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "moderation.user_block": (
        "POST",
        "/moderation/nutzer/{shopper_id}/sperren",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "moderation.user_unblock": (
        "POST",
        "/moderation/nutzer/{shopper_id}/entsperren",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "moderation.synonym_save": (
        "POST",
        "/moderation/synonyme/999999",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "moderation.synonym_delete": (
        "POST",
        "/moderation/synonyme/999999/loeschen",
        {**MODERATORS_ONLY, "moderator": 302, "admin": 302},
    ),
    "owner.claim": ("GET", "/mein-betrieb/uebernehmen/{unowned}", LOGGED_IN_200),
    "owner.edit": (
        "GET",
        "/mein-betrieb/{draft}/bearbeiten",
        OWNER_ONLY,
    ),
    "owner.hours": (
        "GET",
        "/mein-betrieb/{draft}/oeffnungszeiten",
        OWNER_ONLY,
    ),
    "owner.services": (
        "GET",
        "/mein-betrieb/{draft}/leistungen",
        OWNER_ONLY,
    ),
    "owner.special_days": (
        "GET",
        "/mein-betrieb/{draft}/besondere-tage",
        OWNER_ONLY,
    ),
    "owner.delivery": (
        "GET",
        "/mein-betrieb/{draft}/lieferung",
        OWNER_ONLY,
    ),
    "owner.news": (
        "GET",
        "/mein-betrieb/{draft}/neuigkeiten",
        OWNER_ONLY,
    ),
    "owner.offers": (
        "GET",
        "/mein-betrieb/{draft}/aktuelle-angebote",
        OWNER_ONLY,
    ),
    "owner.photos": ("GET", "/mein-betrieb/{draft}/fotos", OWNER_ONLY),
    "owner.upload_photo": (  # without a file: refused, the form is shown again
        "POST",
        "/mein-betrieb/{draft}/fotos/hochladen",
        {**OWNER_ONLY, "owner": 422},
    ),
    "owner.co_owners": ("GET", "/mein-betrieb/{draft}/inhaber", OWNER_ONLY),
    "owner.revoke_invitation": (
        "POST",
        "/mein-betrieb/{draft}/inhaber/einladung/{invitation_id}/zurueckziehen",
        {**OWNER_ONLY, "owner": 302},
    ),
    "owner.leave": (  # the owner is the draft's only owner: refused with a message
        "POST",
        "/mein-betrieb/{draft}/inhaber/austreten",
        {**OWNER_ONLY, "owner": 302},
    ),
    "owner.accept_invitation": (  # an unknown token: a plain "not found" page
        "GET",
        "/mein-betrieb/einladung/ungueltig",
        {"anonymous": "login", **dict.fromkeys(ROLES[1:], 404)},
    ),
    "directory.media": (  # a photo of the draft: only its owners and moderators see it
        "GET",
        "/medien/{draft_media}-400.webp",
        {
            "anonymous": 404,
            "shopper": 404,
            "other_owner": 404,
            "owner": 200,
            "moderator": 200,
            "admin": 200,
        },
    ),
    # vouchers (unknown orders and redemptions: refused with a message, back to the page)
    "vouchers.order": ("GET", "/gutscheine/999999/bestellen", ALL_404),
    "vouchers.ordered": ("GET", "/gutscheine/bestellt", dict.fromkeys(ROLES, 302)),
    "vouchers.voucher_page": ("GET", "/gutschein/0000-0000-0000-0000-0", ALL_404),
    "vouchers.balance": ("GET", "/gutscheine/guthaben", ALL_200),
    "vouchers.owner_overview": ("GET", "/mein-betrieb/{draft}/gutscheine", OWNER_ONLY),
    "vouchers.confirm_order": (
        "POST",
        "/mein-betrieb/{draft}/gutscheine/bestellung/999999/bezahlt",
        {**OWNER_ONLY, "owner": 302},
    ),
    "vouchers.cancel_order": (
        "POST",
        "/mein-betrieb/{draft}/gutscheine/bestellung/999999/stornieren",
        {**OWNER_ONLY, "owner": 302},
    ),
    "vouchers.redeem": ("GET", "/mein-betrieb/{draft}/gutscheine/einloesen", OWNER_ONLY),
    "vouchers.undo": (
        "POST",
        "/mein-betrieb/{draft}/gutscheine/einloesung/999999/zuruecknehmen",
        {**OWNER_ONLY, "owner": 302},
    ),
    "vouchers.owner_settlement_csv": (
        "GET",
        "/mein-betrieb/{draft}/gutscheine/abrechnung.csv",
        OWNER_ONLY,
    ),
    "vouchers.admin_overview": ("GET", "/moderation/gutscheine", ADMINS_ONLY),
    "vouchers.admin_issue": (  # without an amount: refused with a message
        "POST",
        "/moderation/gutscheine/ausgeben",
        {**ADMINS_ONLY, "admin": 302},
    ),
    "vouchers.admin_confirm_order": (
        "POST",
        "/moderation/gutscheine/bestellung/999999/bezahlt",
        {**ADMINS_ONLY, "admin": 302},
    ),
    "vouchers.admin_cancel_order": (
        "POST",
        "/moderation/gutscheine/bestellung/999999/stornieren",
        {**ADMINS_ONLY, "admin": 302},
    ),
    "vouchers.settlement_csv": ("GET", "/moderation/gutscheine/abrechnung.csv", ADMINS_ONLY),
    "moderation.revision_detail": ("GET", "/moderation/aenderung/{revision_id}", MODERATORS_ONLY),
    "moderation.claim_detail": ("GET", "/moderation/antrag/{claim_id}", MODERATORS_ONLY),
    "moderation.category_edit": ("GET", "/moderation/kategorien/{category_id}", MODERATORS_ONLY),
    "moderation.category_delete": (
        "POST",
        "/moderation/kategorien/{category_id}/loeschen",
        {**MODERATORS_ONLY, "moderator": 302, "admin": 302},
    ),
    "moderation.revision_approve": (  # without the version seen: refused as changed
        "POST",
        "/moderation/aenderung/{revision_id}/freigeben",
        {**MODERATORS_ONLY, "moderator": 409, "admin": 409},
    ),
    "moderation.revision_reject": (
        "POST",
        "/moderation/aenderung/{revision_id}/ablehnen",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "moderation.claim_approve": (
        "POST",
        "/moderation/antrag/{claim_id}/bestaetigen",
        {**MODERATORS_ONLY, "moderator": 302, "admin": 302},
    ),
    "moderation.claim_reject": (  # without a reason
        "POST",
        "/moderation/antrag/{claim_id}/ablehnen",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    # voucher offers: {offer_id} is the published offer of the owner's bakery
    "offers.market": ("GET", "/gutscheine?kategorie=lebensmittel&betrag=bis-25", ALL_200),
    "offers.offer_page": ("GET", "/gutscheine/{offer_id}", ALL_200),
    "offers.contact": ("GET", "/gutscheine/{offer_id}/kontakt", ALL_200),
    "offers.owner_offers": ("GET", "/mein-betrieb/{published}/gutscheinangebote", OWNER_ONLY),
    "offers.new_offer": ("GET", "/mein-betrieb/{published}/gutscheinangebote/neu", OWNER_ONLY),
    "offers.edit_offer": (
        "GET",
        "/mein-betrieb/{published}/gutscheinangebote/{offer_id}/bearbeiten",
        OWNER_ONLY,
    ),
    "moderation.offer_detail": ("GET", "/moderation/gutscheinangebot/{offer_id}", MODERATORS_ONLY),
    "moderation.city_offer": ("GET", "/moderation/bottrop-gutschein", ADMINS_ONLY),
    "moderation.city_offer_withdraw": (
        "POST",
        "/moderation/bottrop-gutschein/zurueckziehen",
        {**ADMINS_ONLY, "admin": 302},
    ),
    "moderation.offer_approve": (  # the offer is published: nothing to decide
        "POST",
        "/moderation/gutscheinangebot/{offer_id}/freigeben",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "moderation.offer_reject": (
        "POST",
        "/moderation/gutscheinangebot/{offer_id}/ablehnen",
        {**MODERATORS_ONLY, "moderator": 422, "admin": 422},
    ),
    "offers.withdraw_offer": (  # last of the offer rows: the owner withdraws the offer
        "POST",
        "/mein-betrieb/{published}/gutscheinangebote/{offer_id}/zurueckziehen",
        {**OWNER_ONLY, "owner": 302},
    ),
}


def test_every_route_has_a_rule_and_a_matrix_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ENDPOINT_ACCESS) == set(), "routes without an access rule"
    assert endpoints - set(MATRIX) == set(), "routes without a row in the permission matrix"
    assert set(MATRIX) - endpoints == set(), "matrix rows for routes that no longer exist"


def test_unlisted_endpoint_is_refused(make_app):
    other = make_app()

    @other.route("/_unlisted")
    def unlisted():  # pragma: no cover - must never run
        return "should not be reachable"

    assert other.test_client().get("/_unlisted").status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(app, factories, role):
    owner = factories.owner()
    draft = factories.beauty_salon(owner)
    published = factories.bakery(owner)
    pending = factories.business(name="Friseursalon Haarmonie", status="pending", owners=[owner])
    offer = factories.orderable_offer(published, title="Brotzeit-Gutschein")
    unowned = factories.business(name="Getränke Kleinespel", category="getraenke")
    shopper = factories.shopper()
    accounts = {
        "shopper": shopper,
        "other_owner": factories.owner(factories.business(name="Pizzeria Da Franco")),
        "owner": owner,
        "moderator": factories.moderator(),
        "admin": factories.admin(),
    }
    db.session.commit()
    client = app.test_client()
    if role != "anonymous":
        login = {"email": accounts[role].email, "password": PASSWORD}
        assert post_form(client, "/konto/anmelden", login).status_code == 302
    claim = request_claim(shopper, unowned, "Ich bin die Geschäftsführerin dieses Betriebs.")
    revision = Revision(business=published, changes={"description": "Neu."})
    db.session.add(revision)
    db.session.commit()
    report = create_report(published, "falsche-angaben", "Telefonnummer stimmt nicht.", None)
    invitation, _token = invite_co_owner(owner, draft, "partnerin@beispiel.example")
    add_photo(
        owner,
        draft,
        process_image(make_image_bytes("JPEG")),
        "gallery",
        "Schaufenster mit Blumen",
        edit_marker(draft, None),
        app.config["MEDIA_DIR"],
    )
    draft_media = draft.photos[0].media_key
    token_page = "/konto" if role != "anonymous" else "/konto/anmelden"
    for endpoint, (method, path, expected) in MATRIX.items():
        path = path.format(
            draft=draft.slug,
            published=published.slug,
            draft_id=draft.id,
            pending_id=pending.id,
            published_id=published.id,
            report_id=report.id,
            shopper_id=shopper.id,
            category_id=published.category_id,
            unowned=unowned.slug,
            claim_id=claim.id,
            revision_id=revision.id,
            invitation_id=invitation.id,
            draft_media=draft_media,
            offer_id=offer.id,
        )
        if method == "GET":
            response = client.get(path)
        else:
            response = post_form(client, token_page, {}, post_url=path)
        if response.status_code == 200 and response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            title = re.search(r"<title>(.*?)</title>", html, re.S)
            assert title and 0 < len(title.group(1).strip()) < 150, (endpoint, "title")
            assert len(re.findall(r"<h1[\s>]", html)) == 1, (endpoint, "one <h1>")
        response.close()  # static files are streamed from disk
        want = expected[role]
        if want == "login":
            assert response.status_code == 302, (endpoint, role, response.status_code)
            assert response.headers["Location"].startswith("/konto/anmelden"), (endpoint, role)
        else:
            assert response.status_code == want, (endpoint, role, response.status_code)
        if endpoint == "accounts.logout" and role != "anonymous":
            post_form(client, "/konto/anmelden", login)


def test_json_clients_get_401_not_a_redirect(client):
    response = client.get("/konto", headers={"Accept": "application/json"})
    assert response.status_code == 401
