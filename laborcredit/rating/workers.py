"""Worker processes of the annual evaluation (第十三条): grade chunks of employers side by side.

The evaluation partitions by employer (docs/scaling.md): each chunk is read,
graded by the rules package and turned into result rows on its own, so on a
machine with several cores it runs in processes of its own while the parent
writes the results it gets back (as COPY text) in its own transaction.

A worker is `python -m laborcredit.rating.workers`, talking pickles over its
standard input and output: first the parent's database settings (in tests,
the test database, whose name only the parent knows), then jobs, each
answered in order by ("rows", (the chunk's result rows as COPY text, their tally))
or ("error", text). Plain processes rather
than multiprocessing's: those re-import the parent's main script, which a
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


def graded_in_workers(jobs: Iterable[Any], workers: int, database: dict[str, Any]) -> Iterator[Any]:
    """The jobs' answers (a chunk's results as COPY text and their tally, see
    rating.services.graded_chunk_as_copy_text) in the jobs' order, graded by `workers`
    processes; each worker
    holds at most `AHEAD` jobs at a time, so memory stays a few chunks whatever the city."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("DJANGO_SETTINGS_MODULE", "laborcredit.settings")
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
            _send(process, database)
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


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """A worker's loop: set Django up on the parent's database, then answer jobs until EOF."""
    database = pickle.load(source)
    import django

    django.setup()
    from django.db import connections

    from laborcredit.rating.services import graded_chunk_as_copy_text

    connections["default"].settings_dict.update(database)
    while True:
        try:
            job = pickle.load(source)
        except EOFError:
            return
        try:
            answer: tuple[str, Any] = ("rows", graded_chunk_as_copy_text(job))
        except Exception:  # the parent raises it; the worker stays for the parent to end it
            answer = ("error", traceback.format_exc(limit=5))
        pickle.dump(answer, sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
