"""The town of tests/town.py, built once per module that asks for it (``shared_db``):
``town["Bäckerei Kruse"]`` is that business, loaded in the running test's session."""

from __future__ import annotations

import pytest

from hallobot.directory.models import Business
from hallobot.extensions import db
from tests.factories import Factories
from tests.town import build_town


class Town:
    """The town's businesses by name, each loaded in the current test's session."""

    def __init__(self, ids: dict[str, int]):
        self.ids = ids

    def __getitem__(self, name: str) -> Business:
        return db.session.get(Business, self.ids[name])


@pytest.fixture(scope="module")
def town_ids(shared_db) -> dict[str, int]:
    ids = {name: business.id for name, business in build_town(Factories()).items()}
    db.session.commit()
    return ids


@pytest.fixture
def town(town_ids) -> Town:
    return Town(town_ids)
