"""The search index: one row per published business with folded text and facet values,
the weekly opening slots for "open now", the vocabulary for typo correction, and the
synonym groups moderators maintain. Only published data is in here; it is rebuilt from the
directory (``flask search reindex``) and kept current in the same transaction as every
change to the directory."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hallobot.extensions import db
from hallobot.search.text import synonym_words

HOUR_PACK = 2048  # an opening period is stored as start * HOUR_PACK + end (minutes)


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_facets", "parent_category_id", "category_id", "district_id"),
        Index("ix_search_documents_name_sort", "name_sort"),
    )

    business_id: Mapped[int] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    name_sort: Mapped[str] = mapped_column(String(160))
    # folded text by field, most important first
    f_name: Mapped[str] = mapped_column(Text, default="")
    f_category: Mapped[str] = mapped_column(Text, default="")
    f_services: Mapped[str] = mapped_column(Text, default="")
    f_description: Mapped[str] = mapped_column(Text, default="")
    f_attributes: Mapped[str] = mapped_column(Text, default="")
    f_place: Mapped[str] = mapped_column(Text, default="")
    f_all: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(Integer, index=True)
    parent_category_id: Mapped[int] = mapped_column(Integer)
    district_id: Mapped[int | None] = mapped_column(Integer, index=True)
    delivery: Mapped[bool] = mapped_column(Boolean, default=False)
    pickup: Mapped[bool] = mapped_column(Boolean, default=False)
    voucher: Mapped[bool] = mapped_column(Boolean, default=False)
    fairtrade: Mapped[bool] = mapped_column(Boolean, default=False)
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    city_voucher: Mapped[bool] = mapped_column(Boolean, default=False)  # takes the city's
    holidays_open: Mapped[bool] = mapped_column(Boolean, default=False)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    # The weekly hours for "open now", as columns so that the state is a few comparisons per
    # row: h<day><n> is the n-th period of that weekday (0 = Monday) packed as
    # start * HOUR_PACK + end in minutes since midnight (a period past midnight ends at 1440 here),
    # and c<day> how many minutes that day's last period runs on into the next day.
    for _day in range(7):
        for _n in range(3):
            locals()[f"h{_day}{_n}"] = mapped_column(Integer, nullable=True)
        locals()[f"c{_day}"] = mapped_column(Integer, default=0)
    del _day, _n


class SearchSpecialDay(db.Model):
    """A special day of an indexed business (other hours or closed), in minutes since that
    day's midnight; a period past midnight ends after 1440."""

    __tablename__ = "search_special_days"
    __table_args__ = (Index("ix_search_special_days_day", "day", "business_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("search_documents.business_id", ondelete="CASCADE")
    )
    day: Mapped[date]
    start_minute: Mapped[int] = mapped_column(Integer, default=0)
    end_minute: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class SearchTerm(db.Model):
    """A folded word of the index and in how many documents it occurs (for "Meinten Sie")."""

    __tablename__ = "search_terms"

    word: Mapped[str] = mapped_column(String(80), primary_key=True)
    documents: Mapped[int] = mapped_column(Integer, default=0)
    display: Mapped[str] = mapped_column(String(80), default="")  # as written, lower case


class SearchState(db.Model):
    """One row: a random token that changes with every write to the index, so that a
    process can tell whether what it computed from the index is still current."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), default="")


class SynonymGroup(db.Model):
    """Words that mean the same to a shopper (Friseur, Frisör, Haarstudio). A query word
    from a group also finds the others."""

    __tablename__ = "synonym_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(Text)  # comma-separated, as typed

    @property
    def words(self) -> list[str]:
        return synonym_words(self.terms)


# Parts of the index that only one database has (created by the migration with SQL):
# SQLite's FTS5 table with its shadow tables, PostgreSQL's tsvector column and GIN indexes.
_DIALECT_ONLY_TABLES = ("search_fts",)
_DIALECT_ONLY_NAMES = {"tsv", "ix_search_documents_trgm", "ix_search_terms_trgm"}


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: models and migrations are compared without those parts."""
    if type_ == "table" and name and name.startswith(_DIALECT_ONLY_TABLES):
        return False
    return not (name in _DIALECT_ONLY_NAMES and reflected and compare_to is None)
