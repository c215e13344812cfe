"""Facet counts and filters over the snapshot's groups (see ``snapshot.py``): how many
results each filter value would give together with the other filters, which groups pass
the chosen filters, and the facet values the page shows."""

from __future__ import annotations

from hallobot.search.query import FLAGS, Counts, FacetValue, SearchQuery

# positions of the flags in a group row: delivery … city voucher (as in FLAGS), then open now
FLAG_COLUMN = {flag: 2 + n for n, flag in enumerate(FLAGS) if n} | {"open_now": len(FLAGS) + 2}
COUNT_COLUMN = len(FLAGS) + 3


def passing_keys(keys, values, query: SearchQuery, category, district) -> set | None:
    """Of the facet keys with open state (see ``snapshot.py``), those passing every
    filter; None when nothing is filtered."""
    flag_positions = [FLAG_COLUMN[f] for f in FLAGS[1:] if f in query.flags]
    open_only = "open_now" in query.flags
    if category is None and district is None and not flag_positions and not open_only:
        return None
    category_position = 1 if category is not None and category.parent_id else 0
    category_id = category.id if category is not None else None
    district_id = district.id if district is not None else None
    passing = set()
    for key in keys:
        value = values[key >> 1]
        if (
            (category_id is None or value[category_position] == category_id)
            and (district_id is None or value[2] == district_id)
            and (key & 1 or not open_only)
            and all(value[p] for p in flag_positions)
        ):
            passing.add(key)
    return passing


def count_groups(rows, query: SearchQuery, category, district) -> Counts:
    """Total and facet counts from the groups: a facet value counts the documents that
    pass every other filter (so each count says what choosing that value would give)."""
    counts = Counts()
    # a group row: parent, sub-category, district, delivery … city voucher, open now, count
    active = [FLAG_COLUMN[f] for f in FLAGS if f in query.flags]
    flag_columns = [(f, FLAG_COLUMN[f]) for f in FLAGS]
    wanted_sub = category.id if category is not None and category.parent_id else None
    wanted_parent = category.id if category is not None and not category.parent_id else None
    wanted_district = district.id if district is not None else None
    parents, subs, districts, flags = (
        counts.parents,
        counts.subcategories,
        counts.districts,
        counts.flags,
    )
    total = 0
    for row in rows:
        parent, sub, district_id, n = row[0], row[1], row[2], row[COUNT_COLUMN]
        flags_ok = True
        for column in active:
            if not row[column]:
                flags_ok = False
                break
        if not flags_ok:
            continue
        category_ok = (wanted_sub is None or sub == wanted_sub) and (
            wanted_parent is None or parent == wanted_parent
        )
        district_ok = wanted_district is None or district_id == wanted_district
        if district_ok:
            parents[parent] = parents.get(parent, 0) + n
            subs[sub] = subs.get(sub, 0) + n
        if category_ok:
            if district_id is not None:
                districts[district_id] = districts.get(district_id, 0) + n
            if district_ok:
                total += n
                for flag, column in flag_columns:
                    if row[column]:
                        flags[flag] += n
    counts.total = total
    return counts


def label_facets(result, categories, districts, category, district) -> None:
    counts = result.counts
    by_parent, by_sub, by_district = counts.parents, counts.subcategories, counts.districts
    flag_counts = counts.flags
    active_parent = None
    if category is not None:
        active_parent = category.parent_id or category.id
    result.categories = sorted(
        (
            FacetValue(c.slug, c, by_parent.get(c.id, 0), c.id == active_parent)
            for c in categories.values()
            if c.parent_id is None and (by_parent.get(c.id) or c.id == active_parent)
        ),
        key=lambda f: f.label.name,
    )
    if active_parent is not None:
        result.subcategories = sorted(
            (
                FacetValue(c.slug, c, by_sub.get(c.id, 0), category.id == c.id)
                for c in categories.values()
                if c.parent_id == active_parent and (by_sub.get(c.id) or category.id == c.id)
            ),
            key=lambda f: f.label.name,
        )
    result.districts = sorted(
        (
            FacetValue(
                d.slug, d, by_district.get(d.id, 0), district is not None and d.id == district.id
            )
            for d in districts.values()
            if by_district.get(d.id) or (district is not None and d.id == district.id)
        ),
        key=lambda f: f.label.name,
    )
    result.flags = [
        FacetValue(flag, None, flag_counts[flag], flag in result.query.flags) for flag in FLAGS
    ]
