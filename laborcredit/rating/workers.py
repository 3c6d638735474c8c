"""Worker processes of the annual evaluation (第十三条): grade chunks of employers side by side.

The evaluation partitions by employer (docs/scaling.md): each chunk is read,
graded by the rules package and turned into result rows on its own, so on a
machine with several cores it runs in processes of its own while the parent
writes the results it gets back in its own transaction. On PostgreSQL, and on
an SQLite file, which the workers read beside the parent's writing thanks to
its write-ahead log (WAL, see settings).

A worker is `python -m laborcredit.rating.workers`, talking pickles over its
standard input and output: first how to connect to the parent's database (in
tests, the test database, whose name only the parent knows) and the chunk's
queries, then jobs, each answered in order by ("rows", (the chunk's result
rows — as COPY text on PostgreSQL — and their tally)) or ("error", text). It
imports the rules package and the database driver, not Django (rating.chunks),
so that it starts in a fraction of the time. Plain processes rather than
multiprocessing's: those re-import the parent's main script, which a
management command or a script calling the evaluation must then guard.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parents[2]


AHEAD = 4
"""Jobs a worker holds: enough that it keeps grading while the parent waits for another
worker's chunk (the parent takes them in order) or writes one."""


class WorkerFailed(RuntimeError):
    """A worker process failed a chunk, or died."""


def graded_in_workers(
    jobs: Iterable[Any], workers: int, database: tuple[str, dict[str, Any]], queries: Any
) -> Iterator[Any]:
    """The jobs' answers (a chunk's results and their tally, see `answer`) in the jobs'
    order, graded by `workers` processes reading `database` (the vendor and the driver's
    connection parameters) with `queries` (rating.chunks.ChunkQueries); each worker holds
    at most `AHEAD` jobs at a time, so memory stays a few chunks whatever the city."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "laborcredit.rating.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        for _ in range(workers)
    ]
    try:
        for process in processes:
            _send(process, (database, queries))
        waiting = iter(jobs)
        pending: deque[subprocess.Popen[bytes]] = deque()
        for _ in range(AHEAD):
            for process in processes:
                job = next(waiting, None)
                if job is not None:
                    _send(process, job)
                    pending.append(process)
        while pending:
            process = pending.popleft()
            kind, value = _receive(process)
            if kind != "rows":
                raise WorkerFailed(f"评价进程出错：{value}")
            job = next(waiting, None)
            if job is not None:
                _send(process, job)
                pending.append(process)
            yield value
    finally:
        for process in processes:
            if process.stdin:
                process.stdin.close()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout:
                process.stdout.close()


def _send(process: subprocess.Popen[bytes], value: Any) -> None:
    assert process.stdin is not None
    pickle.dump(value, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
    process.stdin.flush()


def _receive(process: subprocess.Popen[bytes]) -> tuple[str, Any]:
    assert process.stdout is not None
    try:
        return pickle.load(process.stdout)  # type: ignore[no-any-return]
    except EOFError:
        raise WorkerFailed(f"评价进程意外退出（退出码 {process.wait()}）") from None


def connected(vendor: str, params: dict[str, Any]) -> Any:
    """A worker's own connection, read-only, with the driver's parameters that Django uses."""
    if vendor == "postgresql":
        import psycopg

        postgres = psycopg.connect(**params, autocommit=True)
        # A chunk's query is large enough for PostgreSQL to compile it just in time, which
        # costs more than the query itself.
        postgres.execute("SET jit = off")
        # Every core already runs one of these processes: a parallel plan would only start a
        # PostgreSQL worker process for each chunk's query and take a core from another chunk.
        postgres.execute("SET max_parallel_workers_per_gather = 0")
        postgres.execute("SET default_transaction_read_only = on")
        return postgres
    import sqlite3

    # WAL (settings) lets it read beside the evaluation, which holds the write lock.
    lite = sqlite3.connect(**{**params, "detect_types": 0})
    lite.execute("PRAGMA query_only = ON")
    lite.execute("PRAGMA busy_timeout = 10000")
    return lite


def answer(cursor: Any, vendor: str, queries: Any, job: Any) -> tuple[Any, Any]:
    """A chunk's result rows (as COPY text on PostgreSQL, for the parent to pass on rather
    than convert) and their tally."""
    from laborcredit.rating.chunks import Tally, graded_rows, result_copy_text

    rows = graded_rows(cursor, queries, job)
    return (result_copy_text(rows) if vendor == "postgresql" else rows), Tally.of(rows)


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """A worker's loop: connect to the parent's database, then answer jobs until EOF. It
    needs the rules package and the driver only (rating.chunks), not Django."""
    (vendor, params), queries = pickle.load(source)
    cursor, failure = None, ""
    try:
        cursor = connected(vendor, params).cursor()
    except Exception:  # each job is answered with it, for the parent to raise
        failure = traceback.format_exc(limit=5)
    while True:
        try:
            job = pickle.load(source)
        except EOFError:
            return
        reply: tuple[str, Any] = ("error", failure)
        if cursor is not None:
            try:
                reply = ("rows", answer(cursor, vendor, queries, job))
            except Exception:  # the parent raises it; the worker stays for the parent to end it
                reply = ("error", traceback.format_exc(limit=5))
        pickle.dump(reply, sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
