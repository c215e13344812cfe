"""The one diff engine: what moderators read before they decide — a proposed change to a
business (a revision) or to a voucher offer — field by field; list sections entry by entry;
long texts word by word.

Callers pass plain values (the public ones and the proposed ones), the labels of their
declared fields, and how a value reads; nothing here knows a model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class DiffItem:
    """One entry of a list section as people read it; ``key`` pairs old and new entries."""

    key: object
    text: str
    media: str | None = None  # a photo's media key, to show its thumbnail


@dataclass(frozen=True)
class ItemChange:
    change: str  # "added", "removed", "changed", "order"
    old: DiffItem | None
    new: DiffItem | None


@dataclass(frozen=True)
class WordRun:
    change: str  # "same", "removed", "added"
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    items: list[ItemChange] | None = None  # list sections: entry by entry
    old_words: list[WordRun] | None = None  # long texts: the old text, removals marked
    new_words: list[WordRun] | None = None  # … and the new one, additions marked


def _unique(items: list[DiffItem]) -> list[DiffItem]:
    """Make keys unique (two services of the same name are told apart by their count)."""
    seen: dict[object, int] = {}
    result = []
    for item in items:
        n = seen.get(item.key, 0)
        seen[item.key] = n + 1
        result.append(item if n == 0 else DiffItem((item.key, n), item.text, item.media))
    return result


def item_changes(before: list[DiffItem], after: list[DiffItem]) -> list[ItemChange]:
    """A list's change entry by entry: added, removed, changed, and whether only the order
    differs."""
    before, after = _unique(before), _unique(after)
    old_by_key = {item.key: item for item in before}
    new_keys = {item.key for item in after}
    changes = []
    for item in after:
        previous = old_by_key.get(item.key)
        if previous is None:
            changes.append(ItemChange("added", None, item))
        elif previous.text != item.text:
            changes.append(ItemChange("changed", previous, item))
    changes += [ItemChange("removed", item, None) for item in before if item.key not in new_keys]
    kept_before = [i.key for i in before if i.key in new_keys]
    kept_after = [i.key for i in after if i.key in old_by_key]
    if kept_before != kept_after:
        changes.append(ItemChange("order", None, None))
    return changes


_TOKENS = re.compile(r"\s+|[^\s]+")
LONG_TEXT = 80  # characters: from here (or with a line break) a text is compared word by word


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and (len(value) >= LONG_TEXT or "\n" in value)


def word_changes(old: str, new: str) -> tuple[list[WordRun], list[WordRun]]:
    """Two texts word by word (white space kept): the old one with what was removed
    marked, the new one with what was added marked."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    old_runs: list[WordRun] = []
    new_runs: list[WordRun] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            text = "".join(a[i1:i2])
            old_runs.append(WordRun("same", text))
            new_runs.append(WordRun("same", text))
            continue
        if i2 > i1:
            old_runs.append(WordRun("removed", "".join(a[i1:i2])))
        if j2 > j1:
            new_runs.append(WordRun("added", "".join(b[j1:j2])))
    return old_runs, new_runs


def field_changes(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    labels: Mapping[str, Any],
    display: Callable[[str, Any], str],
    describe: Mapping[str, Callable[[Any], list[DiffItem]]] | None = None,
) -> list[FieldChange]:
    """Field by field, in the order of ``new``: each labelled field whose value differs
    from ``old``. A field ``describe`` knows is compared entry by entry, a long text word
    by word."""
    describe = describe or {}
    result = []
    for name, after in new.items():
        before = old.get(name)
        if name not in labels or before == after:
            continue
        label = str(labels[name])
        if name in describe:  # read each side once: the entries, and their text
            items_before, items_after = describe[name](before or []), describe[name](after or [])
            change = FieldChange(
                name,
                label,
                joined_text(items_before),
                joined_text(items_after),
                items=item_changes(items_before, items_after),
            )
        else:
            change = FieldChange(name, label, display(name, before), display(name, after))
            if _is_long(before) or _is_long(after):
                old_words, new_words = word_changes(before or "", after or "")
                change = replace(change, old_words=old_words, new_words=new_words)
        result.append(change)
    return result


def joined_text(items: list[DiffItem]) -> str:
    """A list section read as one line (the entries, separated by semicolons)."""
    return "; ".join(item.text for item in items) or "–"
