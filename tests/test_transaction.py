"""The one transaction rule (hallobot/transaction.py): a service commits when it returns,
rolls back when it raises, nested services join the outer unit, and outside work follows
the outcome."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallobot.directory.models import District
from hallobot.extensions import db
from hallobot.transaction import after_commit, after_rollback, end_transaction, transactional


class Refused(Exception):
    pass


def _district(name: str) -> District:
    district = District(
        slug=name.lower(), name=name, borough="Mitte", lat=51.52, lon=6.92, postcodes=["46236"]
    )
    db.session.add(district)
    return district


def _exists(name: str) -> bool:
    return db.session.scalar(select(District.id).where(District.name == name)) is not None


def test_a_unit_commits_what_it_did():
    done = []

    @transactional
    def create():
        _district("Einheitsdorf")
        after_commit(lambda: done.append("committed"))
        after_rollback(lambda: done.append("rolled back"))

    create()
    db.session.expunge_all()
    assert _exists("Einheitsdorf")
    assert done == ["committed"]


def test_a_refusal_leaves_nothing_behind():
    done = []

    @transactional
    def create_then_refuse():
        _district("Halbdorf")
        db.session.flush()
        after_commit(lambda: done.append("committed"))
        after_rollback(lambda: done.append("rolled back"))
        raise Refused

    with pytest.raises(Refused):
        create_then_refuse()
    assert not _exists("Halbdorf")
    assert done == ["rolled back"]


def test_a_nested_unit_joins_the_outer_one():
    @transactional
    def inner():
        _district("Innendorf")

    @transactional
    def outer():
        inner()
        db.session.flush()
        raise Refused  # the inner unit's work goes with the outer one

    with pytest.raises(Refused):
        outer()
    assert not _exists("Innendorf")


def test_write_units_work_the_same_way():
    @transactional(write=True)
    def create():
        _district("Schreibdorf")
        return "ok"

    assert create() == "ok"
    assert _exists("Schreibdorf")


def test_outside_work_hooks_belong_inside_a_unit():
    with pytest.raises(RuntimeError):
        after_commit(lambda: None)


def test_end_transaction_refuses_pending_changes_and_nested_use():
    _district("Wartedorf")
    with pytest.raises(RuntimeError):
        end_transaction()
    db.session.rollback()

    @transactional
    def inside():
        end_transaction()

    with pytest.raises(RuntimeError):
        inside()
