"""The two places the text index can live, behind one interface.

* SQLite (the embedded default): an FTS5 table with the ``trigram`` tokenizer over the
  folded fields. A quoted term of three or more letters matches as a substring anywhere
  (``"baeck"`` in ``landbaeckerei``), and ``bm25`` with field weights ranks the matches.
* PostgreSQL: a ``pg_trgm`` GIN index on the folded text serves the substring matches
  (``LIKE '%baeck%'``); the rank adds field weights for where a term occurs and
  ``ts_rank`` over a weighted ``tsvector`` (``german`` configuration; name A, category B,
  services and description C, attributes and place D) in a generated column.

Both see the same folded text and the same query terms, so they find the same documents.
``matches`` returns the ids of the matching documents with their scores as two lists
(read from one row of comma-separated values); the service adds the bonus for a name word
beginning with a term and does the facets and paging (see ``snapshot.py``).
(Matching by German stems as well was tried and dropped: the stemmer makes "Uhren" find
every "bis 18 Uhr", and the two backends would no longer agree.)
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

FIELDS = ("f_name", "f_category", "f_services", "f_description", "f_attributes", "f_place")
WEIGHTS = (10.0, 6.0, 4.0, 2.0, 1.5, 1.0)  # name … place, in order of importance
WORD_START_ONLY = 3  # a term this short only matches at the start of a word ("eis", not "preis")
NAME_START_BONUS = 8.0  # a name word that begins with the term ("Bäcker…" for "bäcker")
SYNONYM_NAME_BONUS = 3.0  # the same for a synonym (the word typed counts more)


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

    def matches(self, session: Session, groups: list[list[str]]) -> tuple[list[int], list[float]]:
        params: dict = {}
        clauses, starts = [], []
        for g, variants in enumerate(groups):
            quoted = ('"' + v.replace('"', "") + '"' for v in variants)
            clauses.append("(" + " OR ".join(quoted) + ")")
            if any(len(v) <= WORD_START_ONLY for v in variants):
                ors = []
                for v, variant in enumerate(variants):
                    short = len(variant) <= WORD_START_ONLY
                    params[f"w{g}_{v}"] = (" " if short else "") + variant
                    ors.append(
                        f"instr(' ' || d.f_all, :w{g}_{v}) > 0"
                        if short
                        else f"instr(d.f_all, :w{g}_{v}) > 0"
                    )
                starts.append("(" + " OR ".join(ors) + ")")
        params["match"] = " AND ".join(clauses)
        rank = f"-bm25(search_fts, {', '.join(str(w) for w in WEIGHTS)})"
        if starts:  # only the full text tells where a word starts
            matched = (
                f"SELECT f.rowid AS id, {rank} AS score FROM search_fts AS f "
                "JOIN search_documents AS d ON d.business_id = f.rowid "
                "WHERE search_fts MATCH :match AND " + " AND ".join(starts)
            )
        else:
            matched = (
                f"SELECT rowid AS id, {rank} AS score FROM search_fts WHERE search_fts MATCH :match"
            )
        row = session.execute(
            text(
                f"WITH m AS MATERIALIZED ({matched}) "
                "SELECT group_concat(id), group_concat(score) FROM m"
            ),
            params,
        ).one()
        return _numbers(row)

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

    def matches(self, session: Session, groups: list[list[str]]) -> tuple[list[int], list[float]]:
        params: dict = {}
        conditions, scores, stems = [], [], []
        for g, variants in enumerate(groups):
            ors, best = [], []
            for v, variant in enumerate(variants):
                key = f"w{g}_{v}"
                params[key] = variant
                short = len(variant) <= WORD_START_ONLY
                params[key + "l"] = ("% " if short else "%") + variant + "%"
                params[key + "a"] = "%" + variant + "%"
                ors.append(
                    f"(d.f_all LIKE :{key}a AND (' ' || d.f_all) LIKE :{key}l)"
                    if short
                    else f"d.f_all LIKE :{key}l"
                )
                best.append(
                    "("
                    + " + ".join(
                        f"{w}::float8 * (strpos(d.{field}, :{key}) > 0)::int"
                        for field, w in zip(FIELDS, WEIGHTS, strict=True)
                    )
                    + ")"
                )
                stems.append(f"to_tsquery('german', :{key} || ':*')")
            conditions.append("(" + " OR ".join(ors) + ")")
            scores.append("GREATEST(" + ", ".join(best) + ")")
        rank = " || ".join(stems) if stems else "''::tsquery"
        statement = (
            "SELECT string_agg(d.business_id::text, ','), string_agg(("
            f"({' + '.join(scores)}) + ts_rank(d.tsv, ({rank})))::text, ',') "
            f"FROM search_documents AS d WHERE {' AND '.join(conditions)}"
        )
        return _numbers(session.execute(text(statement), params).one())

    def has_match(self, session: Session, variants: list[str]) -> bool:
        ors = " OR ".join(f"f_all LIKE :v{n}" for n in range(len(variants)))
        params = {f"v{n}": "%" + v + "%" for n, v in enumerate(variants)}
        found = session.execute(
            text(f"SELECT 1 FROM search_documents WHERE {ors} LIMIT 1"), params
        ).first()
        return found is not None


def _numbers(row) -> tuple[list[int], list[float]]:
    """The matches' ids and scores from their comma-separated lists: one row instead of one
    per match, and no tuple per match for the cycle collector to visit."""
    ids, scores = row
    if not ids:
        return [], []
    return list(map(int, ids.split(","))), list(map(float, scores.split(",")))


def backend_for(session: Session):
    return PostgresBackend() if session.get_bind().dialect.name == "postgresql" else SQLiteBackend()
