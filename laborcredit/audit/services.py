"""Writing the audit log (AU1–AU4).

`audit_append` is called by every service inside its own transaction, after
the business change: if the entry cannot be written the whole transaction
rolls back (AU4, fail closed). `audit_verify` and `audit_checkpoint` are the
audited forms of `chain.verify` and `chain.checkpoint`.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import math
import pickle
import secrets
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from laborcredit.audit.context import current_context
from laborcredit.audit.events import EVENTS, OUTCOMES
from laborcredit.audit.models import GENESIS, AuditEntry, canonical_entry
from laborcredit.lib.bulk import bulk_insert, copy_rows
from laborcredit.lib.masking import find_id_numbers
from laborcredit.lib.postgresql import SessionStatement

# pg_advisory_xact_lock key that serialises the chain head ("LCAUDIT" in ASCII).
HEAD_LOCK_KEY = 0x4C43415544495400


class AuditError(Exception):
    """An audit entry that may not be written; the caller's transaction is rolled back."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_LIMITS = {
    "actor": 150,
    "role": 150,
    "address": 64,
    "object_type": 40,
    "object_id": 200,
    "request_id": 64,
}


def audit_append(
    *,
    event: str,
    object_type: str = "",
    object_id: Any = "",
    outcome: str = "success",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry naming the current actor (see `context`) to the chain.

    Must be called inside the business transaction. Personal information in
    `data` must already be masked (`laborcredit.lib.masking`); an unmasked ID
    number is refused.
    """
    connection = _business_transaction()
    try:
        return _append(event, object_type, str(object_id), outcome, data, connection)
    except BaseException:
        # AU4: even a caller that swallows the error cannot commit its change.
        transaction.set_rollback(True)
        raise


def audit_append_alone(
    *,
    event: str,
    object_type: str = "",
    object_id: Any = "",
    outcome: str = "success",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry as a transaction of its own, on disk when this returns: for events that
    change nothing else, such as an API call (AU1: its answer goes out only after its entry).

    On PostgreSQL the transaction is one round trip (BEGIN, the head's lock, the chained INSERT
    and COMMIT sent together), so the head is held for the database's work and the commit's
    flush only, never while this thread waits for the interpreter. Called inside a transaction
    (a test's, say), the entry joins it as `audit_append`'s would, and is on disk with it.
    """
    entry = _prepare(
        event=event, object_type=object_type, object_id=str(object_id), outcome=outcome,
        data=data, context=current_context(),
    )  # fmt: skip
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        try:
            _write(entry, connection)
        except BaseException:
            transaction.set_rollback(True)  # AU4, as in audit_append
            raise
        return entry
    if connection.vendor != "postgresql":
        with transaction.atomic():
            _write(entry, connection)
        return entry
    connection.ensure_connection()
    try:
        _insert_chained(entry, connection, alone=True)
    except BaseException:
        _roll_back_alone(connection)
        raise
    return entry


def audit_append_many(items: list[dict[str, Any]]) -> list[AuditEntry]:
    """Append many entries in one go (an import of 100,000 records): the same checks and
    one linear chain as `audit_append`, each item with that function's keyword arguments."""
    connection = _business_transaction()
    try:
        context = current_context()
        entries = [_prepare(context=context, **item) for item in items]
        held = _held(connection)
        if held is not None:
            held.add(entries)
            return entries
        _chain(entries, connection)
        # The queryset refuses bulk_create from anyone else (bulk_insert goes by the base
        # manager); entries here are checked and chained.
        bulk_insert(entries)
        return entries
    except BaseException:
        transaction.set_rollback(True)
        raise


def _business_transaction() -> Any:
    """AU4: the connection, provided the caller's business transaction is open."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        raise AuditError(
            "outside-transaction",
            "审计日志必须与业务变更在同一事务中写入（请在 transaction.atomic() 内调用 audit_append）",
        )
    return connection


def _append(
    event: str,
    object_type: str,
    object_id: str,
    outcome: str,
    data: dict[str, Any] | None,
    connection: Any,
) -> AuditEntry:
    entry = _prepare(
        event=event, object_type=object_type, object_id=object_id, outcome=outcome, data=data,
        context=current_context(),
    )  # fmt: skip
    _write(entry, connection)
    return entry


def _write(entry: AuditEntry, connection: Any) -> None:
    """Link a prepared entry after the head and write it, in the open transaction (inside
    `audit_held`: when its block ends)."""
    held = _held(connection)
    if held is not None:
        held.add([entry])
    elif connection.vendor == "postgresql":
        _insert_chained(entry, connection, alone=False)
    else:
        _chain([entry], connection)
        entry.save(force_insert=True)


def _prepare(
    *,
    event: str,
    object_type: str = "",
    object_id: Any = "",
    outcome: str = "success",
    data: dict[str, Any] | None = None,
    context: Any,
) -> AuditEntry:
    """An entry checked and filled in, not yet linked to the chain."""
    if event not in EVENTS:
        raise AuditError(
            "unknown-event", f"未登记的审计事件：{event!r}（见 laborcredit/audit/events.py）"
        )
    if outcome not in OUTCOMES:
        raise AuditError(
            "unknown-outcome", f"审计结果应为 success、failure 或 denied，收到 {outcome!r}"
        )
    if data is not None and not isinstance(data, dict):
        raise AuditError("data-not-object", "审计内容（data）应为键值对象")
    fields = {
        "actor": _text(context.actor),
        "role": _text(context.role),
        "address": _text(context.address),
        "object_type": _text(object_type),
        "object_id": _text(str(object_id)),
        "request_id": _text(context.request_id),
    }
    for name, limit in _LIMITS.items():
        if len(fields[name]) > limit:
            raise AuditError("too-long", f"审计字段 {name} 超过 {limit} 个字符")
    payload = _json_value(data or {})
    # One scan of all the texts, a line each: a number never spans two lines, and a line's
    # ends bound a number as the text's own ends would.
    if find_id_numbers("\n".join((*fields.values(), *_strings(payload)))):
        raise AuditError(
            "unmasked-id-number",
            "审计内容含未脱敏的身份证号码；请先用 laborcredit.lib.masking.mask_id_number 脱敏",
        )
    return AuditEntry(ts=timezone.now(), event=event, outcome=outcome, data=payload, **fields)


# The head is locked by the first statement and read by the second, in one round trip (psycopg's
# client-side binding sends both as one query). In READ COMMITTED each statement takes its own
# snapshot, so the read sees every entry committed before the lock was granted.
_LOCKED_HEAD = (
    "SELECT pg_advisory_xact_lock(%s); SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
)


def _locked_head(connection: Any) -> str:
    """The chain's head hash, held for the rest of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_LOCKED_HEAD, [HEAD_LOCK_KEY])
            cursor.nextset()
            row = cursor.fetchone()
        return str(row[0]) if row else GENESIS
    # The transaction began IMMEDIATE (settings) and so already holds the write lock.
    return AuditEntry.objects.order_by("-seq").values_list("hash", flat=True).first() or GENESIS


def _chain(entries: list[AuditEntry], connection: Any) -> None:
    """Link entries after the current head, holding the head for the rest of the transaction."""
    head = _locked_head(connection)
    for entry in entries:
        entry.prev_hash = head
        entry.hash = head = entry.compute_hash()


_INSERTED = (
    "ts", "actor", "role", "address", "event", "object_type", "object_id", "outcome", "request_id"
)  # fmt: skip


# PostgreSQL: the entry is linked and written by the database in one round trip. The lock is
# taken by the first statement; the INSERT, a later statement, reads the head in its own snapshot
# (READ COMMITTED), so it sees every entry committed before the lock was granted. The hash is
# SHA-256(prev_hash ‖ canonical entry) as `entry_hash` computes it: the canonical JSON comes from
# Python with the head's place left open (`_around_head`) and the database puts the head in.
# The INSERT is prepared once per session (`SessionStatement`), so that it is not parsed and
# planned while the head is held.
_INSERT = SessionStatement(
    name="laborcredit_audit_insert",
    sql="""
INSERT INTO audit_entry
    (ts, actor, role, address, event, object_type, object_id, outcome, request_id, data,
     prev_hash, hash)
SELECT %(ts)s, %(actor)s, %(role)s, %(address)s, %(event)s, %(object_type)s, %(object_id)s,
    %(outcome)s, %(request_id)s, %(data)s::jsonb, head.hash,
    encode(sha256(convert_to(head.hash, 'UTF8') || %(before)s
        || convert_to(head.hash, 'UTF8') || %(after)s), 'hex')
FROM (SELECT coalesce(
    (SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1), %(genesis)s) AS hash) AS head
RETURNING seq, prev_hash, hash
""",
    types={
        **dict.fromkeys(_INSERTED, "text"),
        "ts": "timestamptz",
        "data": "text",
        "before": "bytea",
        "after": "bytea",
        "genesis": "text",
    },
)
_LOCK_HEAD = "SELECT pg_advisory_xact_lock(%(lock)s);"
_RETURNED = b"seq"  # the first column of the INSERT's RETURNING


def _around_head(entry: AuditEntry) -> tuple[bytes, bytes]:
    """The entry's canonical JSON split where prev_hash's value goes: (before, after)."""
    values = entry.hashed_values()
    while True:
        mark = secrets.token_hex(32)  # as long as a hash, and in no entry's data
        text = canonical_entry({**values, "prev_hash": mark})
        field = b'"prev_hash":"' + mark.encode("ascii") + b'"'
        if text.count(mark.encode("ascii")) == 1 and field in text:
            before, after = text.split(field)
            return before + b'"prev_hash":"', b'"' + after


def _insert_chained(entry: AuditEntry, connection: Any, *, alone: bool) -> None:
    """Link `entry` after the head and write it (PostgreSQL); `alone`: as its own transaction."""
    before, after = _around_head(entry)
    params = {
        "lock": HEAD_LOCK_KEY,
        "genesis": GENESIS,
        "before": before,
        "after": after,
        "data": json.dumps(entry.data, ensure_ascii=False),
        **{name: getattr(entry, name) for name in _INSERTED},
    }
    with connection.cursor() as cursor:
        if alone:  # BEGIN, lock, INSERT and COMMIT in one round trip
            _INSERT.execute(cursor, params, leading="BEGIN;" + _LOCK_HEAD, trailing=";COMMIT")
        else:
            _INSERT.execute(cursor, params, leading=_LOCK_HEAD)
        _to_insert_result(cursor.cursor)
        row = cursor.fetchone()
    entry.seq, entry.prev_hash, entry.hash = row
    entry._state.adding = False
    entry._state.db = connection.alias


def _to_insert_result(raw: Any) -> None:
    """Move psycopg's cursor `raw` to the INSERT's result among those of the round trip: the
    one whose first column is seq. Read from the result itself: `description` would describe
    every column anew each time it is asked."""
    while True:
        result = raw.pgresult
        if result is not None and result.nfields and result.fname(0) == _RETURNED:
            return
        if not raw.nextset():
            raise AuditError("not-written", "审计日志未能写入")


# ---------------------------------------------------------------- held entries

_HELD = "laborcredit_audit_held"  # the connection's `_Held` while an `audit_held` block runs


@contextlib.contextmanager
def audit_held() -> Iterator[None]:
    """A long operation's entries, linked to the chain and written when the block ends.

    The chain has one head, and a transaction that has written an entry holds it (an
    advisory lock) until it commits: every sign-in, API call and record entry waits for it.
    Approving a year's evaluation for 100,000 employers (27,188 grade changes) took 30 s, and
    an API call waited 29.4 s of it (docs/performance.md, 第十四轮). Inside this block, entries are checked and
    serialised as they are appended (a refused entry still refuses at once, AU4), kept in a
    temporary file, and written together with one COPY when the block ends, still inside the
    transaction: the head is then held from the writing to the commit only.

    The block is a savepoint: if it fails, what it changed is undone with its entries, even
    when the caller catches the error. Blocks may nest; the outermost writes. PostgreSQL
    only: on SQLite the transaction holds the database's write lock from its beginning, so
    holding entries back would gain nothing, and they are written as they come. Entries
    appended inside the block have no `seq` or `hash` until it ends.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic():
        if connection.vendor != "postgresql" or _held(connection) is not None:
            yield
            return
        with tempfile.TemporaryFile() as spool:
            held = _Held(spool)
            setattr(connection, _HELD, held)
            try:
                yield
            finally:
                setattr(connection, _HELD, None)
            held.write(connection)


def _held(connection: Any) -> _Held | None:
    return getattr(connection, _HELD, None)


class _Held:
    """Entries of an `audit_held` block, each as its columns and its canonical JSON split
    where the previous hash goes (`_around_head`), pickled one after another into `spool`."""

    _COLUMNS = (*_INSERTED, "data", "prev_hash", "hash")
    _BATCH = 5000

    def __init__(self, spool: IO[bytes]) -> None:
        self.spool = spool
        self.count = 0

    def add(self, entries: list[AuditEntry]) -> None:
        for entry in entries:
            before, after = _around_head(entry)
            columns = (*(getattr(entry, name) for name in _INSERTED),
                       json.dumps(entry.data, ensure_ascii=False))  # fmt: skip
            pickle.dump((columns, before, after), self.spool, pickle.HIGHEST_PROTOCOL)
        self.count += len(entries)

    def write(self, connection: Any) -> None:
        """Link the entries after the head, in order, and COPY them (the head is held from here)."""
        if not self.count:
            return
        head = _locked_head(connection)
        self.spool.seek(0)
        with connection.cursor() as cursor:
            for start in range(0, self.count, self._BATCH):
                rows = []
                for _ in range(min(self._BATCH, self.count - start)):
                    columns, before, after = pickle.load(self.spool)
                    linked = head.encode("ascii")
                    entry_hash = hashlib.sha256(linked + before + linked + after).hexdigest()
                    rows.append((*columns, head, entry_hash))
                    head = entry_hash
                copy_rows(cursor.cursor, AuditEntry._meta.db_table, self._COLUMNS, rows)


def _roll_back_alone(connection: Any) -> None:
    """After a failed `audit_append_alone`: end the transaction its BEGIN opened, if it is open."""
    try:
        if connection.connection is not None and not connection.connection.closed:
            connection.connection.rollback()
    except Exception:  # the connection is gone; Django replaces it on the next request
        connection.close_if_unusable_or_obsolete()


def _text(value: Any) -> str:
    """A string both databases store and return unchanged: no NUL, no lone surrogates."""
    text = str.__str__(value) if isinstance(value, str) else str(value)  # enums: their value
    if "\x00" in text:
        text = text.replace("\x00", "␀")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


_FLOAT_AS_INTEGER = 1e16  # from here on repr() writes 1e+16, which jsonb returns as an integer


def _json_value(value: Any) -> Any:
    """`value` as the JSON both databases give back unchanged, so its hash verifies later."""
    if value is None or isinstance(value, bool):
        return value if value is None else bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AuditError("not-json", "审计内容不能含 NaN 或无穷大")
        if value == 0:
            return 0.0
        if abs(value) >= _FLOAT_AS_INTEGER:
            return int(Decimal(repr(value)))
        return value
    if isinstance(value, dict):
        return {_text(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = value.astimezone(datetime.UTC)
    try:
        return _json_value(DjangoJSONEncoder().default(value))
    except TypeError:
        raise AuditError("not-json", f"审计内容含无法保存的值（{type(value).__name__}）") from None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *_strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def audit_verify(*, checkpoint_path: Any = None) -> Any:
    """Verify the chain (`chain.verify`) and record that it was verified, and the outcome."""
    from laborcredit.audit.chain import verify

    result = verify(checkpoint_path=checkpoint_path)
    with transaction.atomic():
        audit_append(
            event="audit_verify",
            object_type="audit_log",
            outcome="success" if result.ok else "failure",
            data={
                "length": result.length,
                "head_hash": result.head_hash,
                "checkpoints": result.checkpoints,
                "first_bad_seq": result.first_bad_seq,
                "problem": result.problem,
            },
        )
    return result


def audit_checkpoint() -> Any:
    """Sign a checkpoint of the chain (`chain.checkpoint`) and record it, or record the refusal."""
    from laborcredit.audit.chain import ChainBroken, checkpoint

    try:
        made = checkpoint()
    except ChainBroken as broken:
        with transaction.atomic():
            audit_append(
                event="audit_checkpoint",
                object_type="audit_log",
                outcome="failure",
                data={
                    "first_bad_seq": broken.result.first_bad_seq,
                    "problem": broken.result.problem,
                },
            )
        raise
    with transaction.atomic():
        audit_append(
            event="audit_checkpoint",
            object_type="audit_log",
            object_id=str(made.seq),
            data={
                "seq": made.seq,
                "count": made.count,
                "head_hash": made.head_hash,
                "file": str(made.path),
            },
        )
    return made
