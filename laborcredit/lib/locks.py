"""How long a request waits for a lock another transaction holds, and what it is told then.

A long operation holds row locks until it commits: approving a year's evaluation locks every
employer's grade row it has written (206 s at a million employers, docs/performance.md), an
import the rows of the employers it regrades, and both hold the audit chain's head while their
entries are written. A page or an API call that needs one of those rows waited for the end.
Under sync workers, past gunicorn's 30-second timeout the worker was killed: the officer got no
answer at all, and any background job running in that worker (the approval itself, if it was
started there) died with it. `laborcredit serve` now runs threads, which are not killed, but a
person at a page or another department's system still needs an answer in time.

So the web server's database sessions wait at most `LOCK_WAIT_SECONDS` for a lock
(PostgreSQL's ``lock_timeout``, set by `laborcredit.wsgi` before the settings are read, so any
gunicorn serving `laborcredit.wsgi` gets it). The request is then refused as a whole, its
transaction rolled back, with a 503 in Chinese (`laborcredit.web.middleware.BusyMiddleware`;
the API's `busy` error). Background jobs, which run in threads of the same process, and commands
wait as long as it takes: a job's thread marks itself (`waiting_unbounded`) before its first
query, and the PostgreSQL backend opens that thread's connection without the bound.

SQLite has one writer at a time and no row locks; its ``busy_timeout`` (10 s, settings) is the
bound there, and a write that gives up ("database is locked") gets the same answer.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.db import DatabaseError

# An answer within the time a person waits at a page, and below gunicorn's worker timeout
# (WEB_TIMEOUT_SECONDS: a deployment running sync workers has them killed past it).
LOCK_WAIT_SECONDS = 20
WEB_TIMEOUT_SECONDS = 30
RETRY_AFTER_SECONDS = 30

BUSY_CODE = "busy"
BUSY_MESSAGE = (
    "要读写的数据正被另一项操作占用（例如年度评价结果正在批准、信用档案正在导入），等待时间过长。"
    "本次操作没有保存任何内容，请稍后重试。"
)

# SQLSTATEs of a lock not obtained: lock_not_available (lock_timeout, NOWAIT) and
# deadlock_detected (PostgreSQL broke a cycle by refusing this transaction).
_LOCK_STATES = {"55P03", "40P01"}
_SQLITE_LOCKED = ("database is locked", "database table is locked")

_thread = threading.local()


@contextlib.contextmanager
def waiting_unbounded() -> Iterator[None]:
    """Connections this thread opens inside the block wait for locks without a bound."""
    before = getattr(_thread, "unbounded", False)
    _thread.unbounded = True
    try:
        yield
    finally:
        _thread.unbounded = before


def unbounded_here() -> bool:
    return bool(getattr(_thread, "unbounded", False))


def lock_not_obtained(error: BaseException) -> bool:
    """True if `error` is the database giving up on a lock, on PostgreSQL or SQLite."""
    if not isinstance(error, DatabaseError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in _LOCK_STATES:  # psycopg's error
        return True
    return any(text in str(error) for text in _SQLITE_LOCKED)
