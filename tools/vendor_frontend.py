"""Copy the pinned front-end libraries from ``node_modules`` into ``static/vendor/``.

    npm ci && python tools/vendor_frontend.py

Each package's distributed files land unmodified in ``static/vendor/<name>-<version>/`` with
its licence; the versions come from ``package-lock.json``. The copies are committed, so the
application and its tests need no Node.js. A test checks that they match the lock file.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# package → (files and folders under its dist/ to ship, its licence file)
PACKAGES = {
    "leaflet": (["leaflet.js", "leaflet.css", "images"], "LICENSE"),
    "leaflet.markercluster": (
        ["leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"],
        "MIT-LICENCE.txt",
    ),
}


def locked_versions() -> dict[str, str]:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return {name: lock["packages"][f"node_modules/{name}"]["version"] for name in PACKAGES}


def main() -> int:
    for name, version in locked_versions().items():
        source = ROOT / "node_modules" / name
        installed = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
        if installed != version:
            print(f"{name}: node_modules has {installed}, the lock file {version}; run npm ci")
            return 1
        target = ROOT / "static" / "vendor" / f"{name}-{version}"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        files, licence = PACKAGES[name]
        for item in files:
            path = source / "dist" / item
            if path.is_dir():
                shutil.copytree(path, target / item)
            else:
                shutil.copy2(path, target / item)
        shutil.copy2(source / licence, target / licence)
        print(f"{name} {version} → {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
