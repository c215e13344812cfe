"""What a search takes and what it answers: the query as the URL carries it, the result
with its page of hits and facet values, and the labels (categories, districts) both use."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from hallobot.directory.models import Business

FLAGS = ("open_now", "delivery", "pickup", "voucher", "fairtrade", "accessible", "city_voucher")
SORTS = ("relevanz", "name", "entfernung")
PER_PAGE = 20
EVERYTHING = 10**9  # a page size no result reaches


@dataclass(frozen=True)
class SearchQuery:
    """Everything a search can ask for, as the URL carries it."""

    text: str = ""
    category: str = ""  # slug of a top-level or sub-category
    district: str = ""  # slug
    flags: frozenset[str] = frozenset()
    sort: str = "relevanz"
    near: tuple[float, float] | None = None  # browser location
    place: str = ""  # a typed postcode, district or street to sort by distance from
    page: int = 1


@dataclass(frozen=True)
class Label:
    id: int
    slug: str
    name: str
    name_en: str | None
    parent_id: int | None = None


@dataclass
class FacetValue:
    key: str  # slug, or flag name
    label: Label | None
    count: int
    active: bool


@dataclass
class Hit:
    business: Business
    score: float
    distance_km: float | None = None


@dataclass
class Counts:
    total: int = 0
    parents: dict = field(default_factory=dict)
    subcategories: dict = field(default_factory=dict)
    districts: dict = field(default_factory=dict)
    flags: dict = field(default_factory=lambda: dict.fromkeys(FLAGS, 0))


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit]  # the page's businesses, once loaded (see load_businesses)
    total: int
    pages: int
    needles: list[str]  # folded variants, for highlighting
    categories: list[FacetValue] = field(default_factory=list)
    subcategories: list[FacetValue] = field(default_factory=list)
    districts: list[FacetValue] = field(default_factory=list)
    flags: list[FacetValue] = field(default_factory=list)
    corrected: str | None = None  # the query as corrected, when the original found nothing
    category: Label | None = None
    district: Label | None = None
    origin: tuple[float, float] | None = None  # where distances are measured from
    place_unknown: bool = False
    ignored_words: list[str] = field(default_factory=list)
    too_short: bool = False
    found: list[tuple[int, float]] = field(default_factory=list)  # (business id, score)
    counts: Counts = field(default_factory=Counts)


# --- labels: categories and districts in one query ---


@dataclass(frozen=True)
class Context:
    """What a search needs besides the documents, read in one query: categories,
    districts, synonym groups and the index's state token."""

    categories: dict[int, Label]
    districts: dict[int, Label]
    synonyms: list[str]
    token: str


def read_context(session: Session) -> Context:
    rows = session.execute(
        text(
            "SELECT 'c', id, slug, name, name_en, parent_id FROM categories "
            "UNION ALL SELECT 'd', id, slug, name, NULL, NULL FROM districts "
            "UNION ALL SELECT 's', id, terms, NULL, NULL, NULL FROM synonym_groups "
            "UNION ALL SELECT 'v', id, token, NULL, NULL, NULL FROM search_state"
        )
    ).all()
    return Context(
        {r[1]: Label(r[1], r[2], r[3], r[4], r[5]) for r in rows if r[0] == "c"},
        {r[1]: Label(r[1], r[2], r[3], None) for r in rows if r[0] == "d"},
        [r[2] for r in rows if r[0] == "s"],
        next((r[2] for r in rows if r[0] == "v"), ""),
    )
