"""The two places the text index can live, behind one interface.

* SQLite (the embedded default): an FTS5 table with the ``trigram`` tokenizer over the
  folded fields. A quoted term of three or more letters matches as a substring anywhere
  (``"baeck"`` in ``landbaeckerei``), and ``bm25`` with field weights ranks the matches.
* PostgreSQL: a ``pg_trgm`` GIN index on the folded text serves the substring matches
  (``LIKE '%baeck%'``); the rank adds field weights for where a term occurs and
  ``ts_rank`` over a weighted ``tsvector`` (``german`` configuration; name A, category B,
  services and description C, attributes and place D) in a generated column.

Both see the same folded text and the same query terms, so they find the same documents.
(Matching by German stems as well was tried and dropped: the stemmer makes "Uhren" find
every "bis 18 Uhr", and the two backends would no longer agree.)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

FIELDS = ("f_name", "f_category", "f_services", "f_description", "f_attributes", "f_place")
WEIGHTS = (10.0, 6.0, 4.0, 2.0, 1.5, 1.0)  # name … place, in order of importance
WORD_START_ONLY = 3  # a term this short only matches at the start of a word ("eis", not "preis")
NAME_START_BONUS = 8.0  # a name word that begins with the term ("Bäcker…" for "bäcker")
SYNONYM_NAME_BONUS = 3.0  # the same for a synonym (the word typed counts more)


@dataclass(frozen=True)
class Matcher:
    """The documents (as ``d``) matching every term group: FROM and WHERE clauses, and the
    score expression (higher is more relevant), with their parameters."""

    from_: str
    where: str
    score: str
    params: dict


class SQLiteBackend:
    name = "sqlite"

    def insert_text(self, session: Session, docs: list[dict]) -> None:
        session.execute(
            text(
                "INSERT INTO search_fts(rowid, f_name, f_category, f_services, f_description, "
                "f_attributes, f_place) VALUES (:business_id, :f_name, :f_category, "
                ":f_services, :f_description, :f_attributes, :f_place)"
            ),
            docs,
        )

    def delete_text(self, session: Session, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(f":i{n}" for n in range(len(chunk)))
            session.execute(
                text(f"DELETE FROM search_fts WHERE rowid IN ({marks})"),
                {f"i{n}": value for n, value in enumerate(chunk)},
            )

    def delete_all_text(self, session: Session) -> None:
        session.execute(text("DELETE FROM search_fts"))

    def optimize(self, session: Session) -> None:
        session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))

    def matcher(self, groups: list[list[str]]) -> Matcher:
        params: dict = {}
        clauses, bonus = [], []
        for g, variants in enumerate(groups):
            quoted = []
            for v, variant in enumerate(variants):
                quoted.append('"' + variant.replace('"', "") + '"')
                params[f"w{g}_{v}"] = " " + variant
                weight = NAME_START_BONUS if v == 0 else SYNONYM_NAME_BONUS
                bonus.append(f"{weight} * (instr(' ' || d.f_name, :w{g}_{v}) > 0)")
            clauses.append("(" + " OR ".join(quoted) + ")")
        params["match"] = " AND ".join(clauses)
        starts = []
        for g, variants in enumerate(groups):
            if any(len(v) <= WORD_START_ONLY for v in variants):
                starts.append(
                    "("
                    + " OR ".join(
                        f"instr(' ' || d.f_all, :w{g}_{v}) > 0"
                        if len(variant) <= WORD_START_ONLY
                        else f"instr(d.f_all, substr(:w{g}_{v}, 2)) > 0"
                        for v, variant in enumerate(variants)
                    )
                    + ")"
                )
        weights = ", ".join(str(w) for w in WEIGHTS)
        return Matcher(
            "search_fts AS f JOIN search_documents AS d ON d.business_id = f.rowid",
            "search_fts MATCH :match" + "".join(f" AND {c}" for c in starts),
            f"(-bm25(search_fts, {weights})) + ({' + '.join(bonus) or '0'})",
            params,
        )

    def has_match(self, session: Session, variants: list[str]) -> bool:
        match = " OR ".join('"' + v.replace('"', "") + '"' for v in variants)
        found = session.execute(
            text("SELECT rowid FROM search_fts WHERE search_fts MATCH :m LIMIT 1"), {"m": match}
        ).first()
        return found is not None


class PostgresBackend:
    name = "postgresql"

    def insert_text(self, session: Session, docs: list[dict]) -> None:
        """The tsvector is a generated column of search_documents; nothing else to write."""

    def delete_text(self, session: Session, ids: list[int]) -> None:
        """Rows go with their documents."""

    def delete_all_text(self, session: Session) -> None:
        """Rows go with their documents."""

    def optimize(self, session: Session) -> None:
        session.execute(text("ANALYZE search_documents"))

    def matcher(self, groups: list[list[str]]) -> Matcher:
        params: dict = {}
        conditions, scores, stems = [], [], []
        for g, variants in enumerate(groups):
            ors, best = [], []
            for v, variant in enumerate(variants):
                key = f"w{g}_{v}"
                params[key] = variant
                short = len(variant) <= WORD_START_ONLY
                params[key + "l"] = ("% " if short else "%") + variant + "%"
                params[key + "s"] = " " + variant
                params[key + "a"] = "%" + variant + "%"
                ors.append(
                    f"(d.f_all LIKE :{key}a AND (' ' || d.f_all) LIKE :{key}l)"
                    if short
                    else f"d.f_all LIKE :{key}l"
                )
                parts = [
                    f"{w} * (strpos(d.{field}, :{key}) > 0)::int"
                    for field, w in zip(FIELDS, WEIGHTS, strict=True)
                ]
                weight = NAME_START_BONUS if v == 0 else SYNONYM_NAME_BONUS
                parts.append(f"{weight} * (strpos(' ' || d.f_name, :{key}s) > 0)::int")
                best.append("(" + " + ".join(parts) + ")")
                stems.append(f"to_tsquery('german', :{key} || ':*')")
            conditions.append("(" + " OR ".join(ors) + ")")
            scores.append("GREATEST(" + ", ".join(best) + ")")
        rank = " || ".join(stems) if stems else "''::tsquery"
        return Matcher(
            "search_documents AS d",
            " AND ".join(conditions),
            f"({' + '.join(scores)}) + ts_rank(d.tsv, ({rank}))",
            params,
        )

    def has_match(self, session: Session, variants: list[str]) -> bool:
        ors = " OR ".join(f"f_all LIKE :v{n}" for n in range(len(variants)))
        params = {f"v{n}": "%" + v + "%" for n, v in enumerate(variants)}
        found = session.execute(
            text(f"SELECT 1 FROM search_documents WHERE {ors} LIMIT 1"), params
        ).first()
        return found is not None


def backend_for(session: Session):
    return PostgresBackend() if session.get_bind().dialect.name == "postgresql" else SQLiteBackend()
