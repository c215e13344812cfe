"""The search index follows the directory in the same transaction; facets, "open now",
distance, suggestions and synonyms behave as shoppers and moderators expect."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner
from freezegun import freeze_time
from sqlalchemy import func, select

from hallobot.directory.hours import schedule_for
from hallobot.directory.models import Business, Status
from hallobot.directory.service import PAGE_OPTIONS
from hallobot.extensions import db
from hallobot.moderation import admin as moderation_admin
from hallobot.moderation import decisions as moderation_decisions
from hallobot.moderation import service as moderation
from hallobot.moderation.models import AuditEvent, Revision
from hallobot.search.index import reindex_all
from hallobot.search.models import SearchDocument
from hallobot.search.query import SearchQuery
from hallobot.search.service import search
from hallobot.search.suggestions import suggest
from hallobot.search.text import highlight, snippet
from hallobot.text import fold
from tests.conftest import csrf_from, hidden_value, login_as


@pytest.fixture(autouse=True)
def _in_town(town):
    """Every test here searches the town (tests/town.py)."""


def _ids(text="", per_page=500, **kwargs) -> set[int]:
    return {h.business.id for h in search(SearchQuery(text=text, **kwargs), per_page).hits}


# --- the index follows the directory ---


def test_only_published_entries_are_indexed(app):
    indexed = set(db.session.scalars(select(SearchDocument.business_id)))
    published = set(
        db.session.scalars(select(Business.id).where(Business.status == Status.PUBLISHED))
    )
    assert indexed == published


def test_approval_revision_and_unpublish_update_the_index_at_once(app, town, moderator_account):
    pending = db.session.scalar(select(Business).where(Business.status == Status.PENDING))
    assert pending.id not in _ids(pending.name)
    moderation.approve_business(moderator_account, pending.id, pending.version)
    assert pending.id in _ids(pending.name)

    kruse = town["Bäckerei Kruse"]
    revision = Revision(business=kruse, changes={"name": "Backhaus Kruse am Markt"})
    db.session.add(revision)
    db.session.commit()
    assert kruse.id not in _ids("Backhaus Kruse am Markt")  # a proposal is not public
    seen = moderation_decisions.revision_seen(revision)
    moderation_decisions.approve_revision(
        moderator_account, revision.id, seen, app.config["MEDIA_DIR"]
    )
    assert kruse.id in _ids("Backhaus Kruse am Markt")

    moderation.unpublish_business(
        moderator_account, kruse.id, "Betrieb hat geschlossen, laut Aushang."
    )
    assert kruse.id not in _ids("Kruse")


def test_a_rolled_back_change_leaves_the_index_alone(app, town):
    kruse = town["Bäckerei Kruse"]
    kruse.name = "Gar nicht Kruse"
    db.session.flush()
    db.session.rollback()
    assert kruse.id in _ids("Bäckerei Kruse")
    assert not _ids("Gar nicht Kruse")


def test_rebuilding_gives_the_same_index(app):
    def snapshot():
        return {
            row.business_id: (row.f_all, row.delivery, row.fairtrade, row.district_id)
            for row in db.session.scalars(select(SearchDocument))
        }

    before = snapshot()
    assert reindex_all() == len(before)
    db.session.commit()
    assert snapshot() == before


def test_flask_search_reindex(app):
    result = CliRunner().invoke(app.cli, ["search", "reindex"])
    assert result.exit_code == 0, result.output
    count = db.session.scalar(select(func.count()).select_from(SearchDocument))
    assert f"Suchindex: {count} Betriebe." in result.output


# --- facets ---


def test_facet_counts_combine(app):
    everything = search(SearchQuery())
    delivery = next(f for f in everything.flags if f.key == "delivery")
    with_delivery = search(SearchQuery(flags=frozenset({"delivery"})))
    assert with_delivery.total == delivery.count > 0
    assert sum(f.count for f in with_delivery.categories) == with_delivery.total
    assert sum(f.count for f in with_delivery.districts) <= with_delivery.total
    narrowed = search(SearchQuery(flags=frozenset({"delivery"}), district="stadtmitte"))
    stadtmitte = next(f for f in with_delivery.districts if f.key == "stadtmitte")
    assert narrowed.total == stadtmitte.count
    # the active facet still shows the count it would have on its own
    own = next(f for f in narrowed.flags if f.key == "delivery")
    assert own.active and own.count == narrowed.total


def test_facets_on_the_page_are_a_plain_get_form(client):
    html = client.get("/suche?q=caf%C3%A9&lieferung=1&stadtteil=stadtmitte").get_data(as_text=True)
    assert '<form class="filter-panel" id="filter" action="/suche" method="get"' in html
    assert 'name="lieferung" value="1" checked' in html
    assert "/suche?q=caf%C3%A9&amp;stadtteil=stadtmitte" in html  # remove "Lieferung"


# --- open now: SQL agrees with hours.Schedule ---


@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-25 10:30",  # Wednesday morning
        "2026-11-29 12:00",  # Sunday
        "2026-11-28 00:30",  # past midnight after Friday
        "2026-12-25 11:00",  # Christmas: public holiday and special days
        "2026-12-31 15:00",  # New Year's Eve: special hours
        "2027-05-27 10:00",  # Fronleichnam (NRW)
    ],
)
def test_open_now_matches_the_opening_hours(app, moment):
    with freeze_time(datetime.fromisoformat(moment + ":00+01:00")):
        found = _ids(flags=frozenset({"open_now"}))
        businesses = db.session.scalars(
            select(Business).where(Business.status == Status.PUBLISHED).options(*PAGE_OPTIONS)
        ).all()
        expected = {b.id for b in businesses if schedule_for(b).state().is_open}
    assert found == expected


# --- distance ---


def test_nearest_first_from_a_typed_postcode_and_from_the_browser(app):
    result = search(SearchQuery(text="apotheke", sort="entfernung", place="46244"))
    assert result.origin is not None and not result.place_unknown
    assert "Kirchhellen" in result.hits[0].business.address_line or (
        result.hits[0].business.postcode == "46244"
    )
    distances = [h.distance_km for h in result.hits if h.distance_km is not None]
    assert distances == sorted(distances)

    town_hall = (51.5236, 6.9292)
    near = search(SearchQuery(sort="entfernung", near=town_hall), per_page=10)
    distances = [h.distance_km for h in near.hits]
    assert distances == sorted(distances) and distances[0] < 1.0


def test_an_unknown_place_says_so(client):
    html = client.get("/suche?q=apotheke&sort=entfernung&ort=Atlantis").get_data(as_text=True)
    assert "Den Ort „Atlantis“ kennen wir nicht" in html


# --- the page ---


def test_did_you_mean_on_the_page(client, town):
    html = client.get("/suche?q=backerei").get_data(as_text=True)
    assert "Keine Treffer für „backerei“. Meinten Sie" in html
    assert 'href="/suche?q=b%C3%A4ckerei"' in html
    assert f'href="/betrieb/{town["Bäckerei Kruse"].slug}"' in html


def test_matches_are_highlighted_and_escaped():
    assert str(highlight("Bäckerei <Kruse>", ["baeck"])) == "<mark>Bäckerei</mark> &lt;Kruse&gt;"
    text = "Frisches Brot. " * 20 + "Wir liefern Brötchen bis 9 Uhr. " + "Kuchen. " * 20
    cut = str(snippet(text, ["liefer"], width=80))
    assert cut.startswith("… ") and cut.endswith(" …") and "<mark>liefern</mark>" in cut


# --- suggestions ---


def test_suggest_api(client):
    data = client.get("/api/v1/suggest?q=b%C3%A4c").get_json()
    kinds = [s["kind"] for s in data["suggestions"]]
    assert kinds[0] == "category" and "business" in kinds
    labels = [s["label"] for s in data["suggestions"]]
    assert "Bäckereien" in labels and any(label.startswith("Bäckerei") for label in labels[1:])
    assert all(s["url"].startswith(("/betrieb/", "/kategorie/")) for s in data["suggestions"])
    assert client.get("/api/v1/suggest?q=b").get_json()["suggestions"] == []


def test_categories_starting_with_the_words_are_suggested_first(app):
    categories = [s.label for s in suggest("cafe") if s.kind == "category"]
    assert categories[:2] == ["Cafés", "Eiscafés"]  # "Eiscafés" only contains the word


def test_suggestions_know_only_published_entries(app):
    draft = db.session.scalar(select(Business).where(Business.status == Status.DRAFT))
    assert all(s.label != draft.name for s in suggest(draft.name[:6]))


# --- synonyms, maintained by moderators ---


def test_moderators_extend_the_synonyms(app, moderator_account):
    client = login_as(app, moderator_account)
    assert not _ids("Wasserhäuschen")
    page = client.get("/moderation/synonyme").get_data(as_text=True)
    response = client.post(
        "/moderation/synonyme",
        data={
            "neu-csrf_token": hidden_value(page, "neu-csrf_token"),
            "neu-terms": "Wasserhäuschen, Getränkemarkt",
        },
    )
    assert response.status_code == 302
    assert _ids("Wasserhäuschen")  # at once, without reindexing
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "synonyms.created"))

    page = client.get("/moderation/synonyme").get_data(as_text=True)
    refused = client.post(
        "/moderation/synonyme",
        data={"neu-csrf_token": csrf_from(page), "neu-terms": "Allein"},
    )
    assert refused.status_code == 422
    assert "mindestens zwei Wörter" in refused.get_data(as_text=True)


# --- regressions from review ---


def _term(word: str) -> int | None:
    from hallobot.search.models import SearchTerm

    return db.session.scalar(select(SearchTerm.documents).where(SearchTerm.word == word))


def test_word_counts_add_up_and_leave_with_a_deleted_business(app, factories):
    first = factories.business(name="Quarkspeicher Eins")
    second = factories.business(name="Quarkspeicher Zwei")
    db.session.commit()
    assert _term("quarkspeicher") == 2
    db.session.delete(second)
    db.session.commit()
    assert _term("quarkspeicher") == 1
    first.status = Status.ARCHIVED.value
    db.session.commit()
    assert _term("quarkspeicher") is None


def test_a_rolled_back_savepoint_keeps_the_outer_change(app, town):
    kruse = town["Bäckerei Kruse"]
    kruse.name = "Backstube Kruse"
    db.session.flush()
    nested = db.session.begin_nested()
    kruse.phone = "0"
    db.session.flush()
    nested.rollback()
    db.session.commit()
    assert kruse.id in _ids("Backstube Kruse")


def test_a_row_added_by_id_is_indexed(app, town):
    from hallobot.directory.models import Service

    kruse = town["Bäckerei Kruse"]
    assert kruse.services  # the collection is loaded
    db.session.add(Service(business_id=kruse.id, name="Zimtschnecken", position=99))
    db.session.commit()
    assert kruse.id in _ids("Zimtschnecken")


def test_photos_and_current_offers_leave_the_index_as_it_is(app, town, factories):
    """Neither is searched: a change to them keeps the index state (and with it the
    snapshot and the map's features, which are rebuilt when the state changes)."""
    from hallobot.search.service import index_token

    kruse = town["Bäckerei Kruse"]
    photo = factories.photo(kruse)
    offer = factories.current_offer(kruse, label="Brezelwoche")
    db.session.commit()
    token = index_token()
    photo.alt_text = "Zimtschnecken im Schaufenster"
    offer.label = "Zimtschneckenwoche"
    db.session.commit()
    assert index_token() == token
    assert kruse.id not in _ids("Zimtschneckenwoche")
    kruse.services[0].description = "Mit Zimtschnecken"
    db.session.commit()
    assert index_token() != token
    assert kruse.id in _ids("Zimtschnecken")


def test_a_typed_place_beats_the_browser_location(app):
    result = search(
        SearchQuery(text="apotheke", sort="entfernung", place="46244", near=(51.5236, 6.9292))
    )
    assert result.hits[0].business.postcode == "46244"


def test_typo_with_swapped_letters_across_the_middle(app):
    result = search(SearchQuery(text="pizezria"))
    assert result.corrected and result.hits[0].business.name == "Pizzeria Da Franco"


def test_a_correction_that_finds_nothing_keeps_the_first_answer(app, count_queries):
    """ "Pizzeria Apoteke": "apoteke" becomes "apotheke", but no pizzeria is a pharmacy. The
    search answers as for the words typed, without matching them a second time."""
    with count_queries() as statements:
        result = search(SearchQuery(text="Pizzeria Apoteke"))
    assert result.total == 0 and result.corrected is None
    assert result.needles and "apotek" in result.needles
    matching = [s for s in statements if "group_concat(id)" in s or "string_agg(d.business_id" in s]
    assert len(matching) == 2  # the words typed, then the corrected ones


def test_short_words_are_highlighted_only_at_word_starts():
    assert "<mark>" not in str(highlight("Preise und Reisen", ["eis"]))
    assert str(highlight("Eiscafé Preis", ["eis"])) == "<mark>Eiscafé</mark> Preis"


def test_odd_page_sizes_do_not_break(app):
    assert search(SearchQuery(text="bäcker"), per_page=0).pages >= 1


def test_stop_words_cannot_become_synonyms(app, moderator_account):
    with pytest.raises(moderation.ModerationError):
        moderation_admin.save_synonym_group(moderator_account, None, "Coiffeur, und so")


# --- the in-memory snapshot follows the index and the clock ---


def test_open_now_changes_with_the_minute(app):
    businesses = db.session.scalars(
        select(Business).where(Business.status == Status.PUBLISHED).options(*PAGE_OPTIONS)
    ).all()
    seen = []
    for moment in ("2026-11-25 17:59", "2026-11-25 18:00"):
        now = datetime.fromisoformat(moment + ":00+01:00")
        with freeze_time(now):
            found = _ids(flags=frozenset({"open_now"}))
            assert found == {b.id for b in businesses if schedule_for(b).state().is_open}
            seen.append(found)
    assert seen[0] != seen[1]  # someone closes at six, and the next minute knows it


def test_filters_without_words_follow_an_unpublication(app, town, moderator_account):
    kruse = town["Bäckerei Kruse"]
    category = kruse.category.slug
    assert kruse.id in _ids(category=category)
    moderation.unpublish_business(
        moderator_account, kruse.id, "Betrieb hat geschlossen, laut Aushang."
    )
    assert kruse.id not in _ids(category=category)


@pytest.mark.parametrize(
    "order", [{"sort": "relevanz"}, {"sort": "name"}, {"sort": "entfernung", "place": "46236"}]
)
def test_paging_shows_every_match_once(app, order):
    everything = search(SearchQuery(text="bottrop", **order), per_page=500)
    assert everything.total > 7
    shown = []
    for page in range(1, 100):
        result = search(SearchQuery(text="bottrop", page=page, **order), per_page=3)
        shown += [h.business.id for h in result.hits]
        if page >= result.pages:
            break
    assert shown == [h.business.id for h in everything.hits]
    assert len(set(shown)) == everything.total
    if order["sort"] == "relevanz":
        scores = [h.score for h in everything.hits]
        assert scores == sorted(scores, reverse=True)
    if order["sort"] == "name":
        names = [h.business.name.casefold() for h in everything.hits]
        assert names == sorted(names)


def test_the_snapshot_is_kept_while_the_index_does_not_change(app):
    from hallobot.search.service import index_token
    from hallobot.search.snapshot import snapshot

    token = index_token()
    first = snapshot(db.session, token)
    assert first.token == token  # a name word once took its place, and every search reloaded
    assert snapshot(db.session, token) is first
    assert first.names_starting("baeck") and all(
        " baeck" in " " + fold(db.session.get(Business, i).name)
        for i in first.names_starting("baeck")
    )
