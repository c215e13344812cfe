"""The slices' layering (docs/architecture.md): a slice imports only from itself, from the
slices below it and from the shared low modules — never upward, so there is no circle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hallobot"

# top floor first
SLICES = [
    "owner",
    "importers",
    "moderation",
    "api",
    "vouchers",
    "search",
    "directory",
    "accounts",
    "pages",
    "geo",
    "mail",
]
# wiring at the top: may import every slice
WIRING = {"__init__", "cli", "models"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "hallobot" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_package_under_hallobot_is_placed_in_the_layering():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"translations"} <= set(SLICES), packages - set(SLICES)


def test_no_import_runs_upward():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        here = parts[0] if len(parts) > 1 else path.stem
        if here in WIRING:
            continue
        for target in _imports(path):
            if target == here or target not in SLICES:
                continue  # itself, or a shared low module (extensions, web, transaction …)
            if here not in SLICES or SLICES.index(target) < SLICES.index(here):
                upward.append(f"{path.relative_to(PACKAGE.parent)} imports hallobot.{target}")
    assert not upward, "\n".join(upward)
