"""Print the shape of the code under hallobot/: long files, long functions, long views.

Usage: python bench/code_shape.py [--list]

A view is a function decorated with a blueprint route (``@bp.route``, ``@bp.get``, …).
Lines count from the ``def`` line to the function's last line (decorators excluded). The
duplicate pairs come from the library's ``duplicates`` command, run separately.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "hallobot"
ROUTE_NAMES = {"route", "get", "post", "put", "patch", "delete"}


def _is_view(node: ast.FunctionDef) -> bool:
    for deco in node.decorator_list:
        call = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(call, ast.Attribute) and call.attr in ROUTE_NAMES:
            return True
    return False


def main(argv: list[str]) -> None:
    show = "--list" in argv
    files, functions, views = [], [], []
    for path in sorted(ROOT.rglob("*.py")):
        text = path.read_text()
        rel = path.relative_to(ROOT.parent)
        lines = text.count("\n")
        files.append((lines, str(rel)))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                item = (length, f"{rel}:{node.lineno} {node.name}")
                functions.append(item)
                if _is_view(node):
                    views.append(item)
    big_files = sorted((f for f in files if f[0] > 400), reverse=True)
    long_functions = sorted((f for f in functions if f[0] > 40), reverse=True)
    print(f"python files                 {len(files)}")
    print(f"files over 400 lines         {len(big_files)}  (over 500: "
          f"{sum(f[0] > 500 for f in files)}; longest {max(files)[0]})")
    print(f"functions over 40 lines      {len(long_functions)}")
    print(f"views                        {len(views)}")
    print(f"views over 25 lines          {sum(v[0] > 25 for v in views)}")
    print(f"views over 40 lines          {sum(v[0] > 40 for v in views)}  "
          f"(longest {max(views)[0] if views else 0})")
    if show:
        for title, rows in (
            ("files over 400 lines", big_files),
            ("functions over 40 lines", long_functions),
            ("views over 25 lines", sorted((v for v in views if v[0] > 25), reverse=True)),
        ):
            print(f"\n{title}:")
            for length, name in rows:
                print(f"  {length:5d}  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
