"""German-friendly slugs: 'Bäckerei Müller' → 'baeckerei-mueller'."""

from __future__ import annotations

from collections.abc import Callable

from slugify import slugify

from hallobot.text import slug_replacements

# python-slugify spells the site's folding table out (ä → ae, ß → ss, …), and "&" as "und"
REPLACEMENTS = [*slug_replacements(), ["&", " und "]]


def make_slug(text: str, max_length: int = 120) -> str:
    slug = slugify(text, replacements=REPLACEMENTS, max_length=max_length, word_boundary=True)
    return slug or "eintrag"


def unique_slug(text: str, taken: Callable[[str], bool], max_length: int = 120) -> str:
    base = make_slug(text, max_length)
    slug, n = base, 2
    while taken(slug):
        slug = f"{base}-{n}"
        n += 1
    return slug
