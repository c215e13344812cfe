"""The one transaction rule: a service function that changes data is ``@transactional``.

One user action is one transaction. The decorated service commits when it returns and rolls
everything back when it raises — a domain error included — so nothing is ever half-written
and no view commits or rolls back. Services called by another transactional service join
its transaction: only the outermost call commits.

``@transactional(write=True)`` ends whatever read transaction the request has open and
starts the unit with the write lock (SQLite: ``BEGIN IMMEDIATE``), for actions that must
read and change under the lock (redeeming a voucher).

Work outside the database that must follow the transaction's outcome — deleting the files
of photos nobody uses any more, removing files written for a change that failed — is
registered with ``after_commit`` / ``after_rollback`` inside the unit.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar, overload

from hallobot.extensions import db, write_transactions

P = ParamSpec("P")
R = TypeVar("R")

_depth: ContextVar[int] = ContextVar("hallobot_transaction_depth", default=0)
_hooks: ContextVar[dict[str, list[Callable[[], object]]] | None] = ContextVar(
    "hallobot_transaction_hooks", default=None
)


def _register(outcome: str, callback: Callable[[], object]) -> None:
    hooks = _hooks.get()
    if hooks is None:
        raise RuntimeError("after_commit/after_rollback belong inside a @transactional service")
    hooks[outcome].append(callback)


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once the current unit has committed (never if it rolls back)."""
    _register("commit", callback)


def after_rollback(callback: Callable[[], object]) -> None:
    """Run ``callback`` if the current unit rolls back (never if it commits)."""
    _register("rollback", callback)


def end_transaction() -> None:
    """Outside any unit of work, before waiting for an outside service: end the request's
    open transaction (a read, or a POST's SQLite write lock) so that nothing is held while
    waiting. Nothing may be pending."""
    session = db.session
    if _depth.get() or session.new or session.dirty or session.deleted:
        raise RuntimeError("end_transaction() only outside a unit of work with no changes")
    session.commit()


@overload
def transactional(function: Callable[P, R]) -> Callable[P, R]: ...


@overload
def transactional(*, write: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def transactional(function=None, *, write: bool = False):
    def decorate(inner: Callable[P, R]) -> Callable[P, R]:
        @wraps(inner)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            depth = _depth.get()
            if depth:  # inside another unit: its commit or rollback covers this one
                return inner(*args, **kwargs)
            token, hooks = _depth.set(depth + 1), {"commit": [], "rollback": []}
            hooks_token = _hooks.set(hooks)
            session = db.session
            try:
                if write:
                    with write_transactions():
                        session.commit()  # start afresh, holding the write lock
                        result = inner(*args, **kwargs)
                        session.commit()
                else:
                    result = inner(*args, **kwargs)
                    session.commit()
            except BaseException:
                session.rollback()
                for callback in hooks["rollback"]:
                    callback()
                raise
            finally:
                _depth.reset(token)
                _hooks.reset(hooks_token)
            for callback in hooks["commit"]:
                callback()
            return result

        return run

    return decorate(function) if function is not None else decorate
