"""Verifying the audit chain and signing checkpoints of it (AU3, DT3).

`verify` walks the entries in seq order, a chunk at a time, recomputing every
hash and every prev_hash link, compares the chain with each signed checkpoint
(which alone reveals a whole chain rewritten with fresh hashes, or a tail cut
off), checks the registered append-only record tables against the hashes the
log holds for them, and checks that the database triggers are in place.

`checkpoint` signs (last seq, count, head hash, time) with an Ed25519 key kept
outside the database and appends it as one JSON line to a file outside the
database; copy that file off the machine (syslog, another server, paper) to
make a rewrite by the database owner detectable.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from laborcredit.audit.models import GENESIS, HASHED_FIELDS, AuditEntry, entry_hash
from laborcredit.lib.appendonly import append_only_tables, missing_triggers

RECORD_EVENTS = ("record_create", "record_correct", "record_void")
CHUNK = 2000
MAX_PROBLEMS = 100
CHECKPOINT_FILE = "checkpoints.jsonl"
SIGNED_PREFIX = b"laborcredit-audit-checkpoint-v1\n"


# ------------------------------------------------------------------ registry


@dataclass(frozen=True)
class HashedModel:
    object_type: str
    rows: Callable[[], QuerySet[Any]]
    content_hash: Callable[[Any], str]
    label: str
    append_only: bool


hashed_models: dict[str, HashedModel] = {}


def register_hashed_model(
    object_type: str,
    model: type[Model] | QuerySet[Any],
    content_hash: Callable[[Any], str],
    *,
    append_only: bool = True,
) -> None:
    """DT3: `verify` checks every row of `model` against its audit entry.

    Each row must be named (object_type, str(pk)) by a record_create,
    record_correct or record_void entry whose ``data["record_hash"]`` equals
    ``content_hash(row)``; every such entry's row must exist. `model` may be a
    queryset (``CreditRecord.objects.select_related("employer")``). With
    `append_only`, the table must carry the `AppendOnly` triggers too.
    Call it from the owning app's ``AppConfig.ready()``.
    """
    queryset = model if isinstance(model, QuerySet) else model._default_manager.all()
    hashed_models[object_type] = HashedModel(
        object_type=object_type,
        rows=queryset.all,
        content_hash=content_hash,
        label=str(queryset.model._meta.verbose_name),
        append_only=append_only,
    )


# ------------------------------------------------------------------ keys and files


def signing_key_path() -> Path:
    configured = getattr(settings, "LABORCREDIT_AUDIT_SIGNING_KEY", None)
    return Path(configured or Path(settings.DATA_DIR) / "keys" / "audit-signing-key.pem")


def checkpoint_file() -> Path:
    configured = getattr(settings, "LABORCREDIT_AUDIT_CHECKPOINT_DIR", None)
    return Path(configured or Path(settings.DATA_DIR) / "checkpoints") / CHECKPOINT_FILE


class SigningKeyError(RuntimeError):
    pass


def signing_key(*, create: bool = False) -> Ed25519PrivateKey:
    """The checkpoint signing key, made (mode 0600) on first use when `create`."""
    path = signing_key_path()
    if not path.exists():
        if not create:
            raise SigningKeyError(f"找不到审计检查点签名密钥 {path}")
        _create_key(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} 不是 Ed25519 私钥")
    return key


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    draft = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(draft, path)  # atomic: another process that got there first wins
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def _public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# ------------------------------------------------------------------ checkpoints


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the last entry covered (0 for an empty log)
    count: int  # how many entries up to and including seq
    head_hash: str
    created_at: str  # ISO 8601, UTC
    public_key: str  # base64 of the raw Ed25519 public key
    signature: str  # base64
    path: Path | None = None
    line: int | None = None

    def signed_message(self) -> bytes:
        return signed_message(self.seq, self.count, self.head_hash, self.created_at)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "algorithm": "Ed25519",
                "seq": self.seq,
                "count": self.count,
                "head_hash": self.head_hash,
                "created_at": self.created_at,
                "public_key": self.public_key,
                "signature": self.signature,
            },
            sort_keys=True,
            separators=(",", ":"),
        )


def signed_message(seq: int, count: int, head_hash: str, created_at: str) -> bytes:
    body = {"seq": seq, "count": count, "head_hash": head_hash, "created_at": created_at}
    return SIGNED_PREFIX + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


class ChainBroken(Exception):
    """The chain does not verify, so no checkpoint may vouch for it."""

    def __init__(self, result: VerifyResult) -> None:
        super().__init__(result.problem)
        self.result = result


def checkpoint() -> Checkpoint:
    """Verify the chain, then sign its head and append the checkpoint to the checkpoint file.

    Refuses (`ChainBroken`) to sign a chain that does not verify: a checkpoint
    must never make a tampered log look genuine. Call it outside any transaction
    that has appended entries, or it may sign a head that is then rolled back.
    """
    result = verify()
    if not result.ok:
        raise ChainBroken(result)
    key = signing_key(create=True)
    with transaction.atomic():
        _lock_head()
        # Entries appended since `verify` finished are checked before they are vouched for.
        walk = _Walk(checkpoints={})
        walk.expected_prev, walk.length = result.head_hash, result.length
        walk.last_seq, walk.prev_seq = result.last_seq, result.last_seq or None
        walk.run(after_seq=result.last_seq)
        if walk.problems:
            raise ChainBroken(walk.result(0))
        created_at = timezone.now().astimezone(datetime.UTC).isoformat(timespec="microseconds")
        message = signed_message(walk.last_seq, walk.length, walk.expected_prev, created_at)
        made = Checkpoint(
            seq=walk.last_seq,
            count=walk.length,
            head_hash=walk.expected_prev,
            created_at=created_at,
            public_key=base64.b64encode(_public_bytes(key.public_key())).decode(),
            signature=base64.b64encode(key.sign(message)).decode(),
            path=checkpoint_file(),
        )
        _append_line(made.path, made.to_json())
    return made


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _lock_head() -> None:
    from laborcredit.audit.services import HEAD_LOCK_KEY

    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HEAD_LOCK_KEY])


@dataclass(frozen=True)
class Problem:
    seq: int | None
    message: str


def read_checkpoints(path: Path) -> tuple[list[Checkpoint], list[Problem]]:
    """The checkpoints whose signature verifies with the configured key, and what is wrong with the rest."""
    if not path.exists():
        return [], []
    lines = path.read_text(encoding="utf-8").splitlines()
    if not any(line.strip() for line in lines):
        return [], []
    try:
        public = signing_key().public_key()
    except (SigningKeyError, ValueError, TypeError) as error:
        return [], [Problem(None, f"无法核验检查点：{error}")]
    expected_key = _public_bytes(public)
    good: list[Checkpoint] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        place = f"检查点文件 {path} 第 {number} 行"
        try:
            raw = json.loads(line)
            made = Checkpoint(
                seq=int(raw["seq"]),
                count=int(raw["count"]),
                head_hash=str(raw["head_hash"]),
                created_at=str(raw["created_at"]),
                public_key=str(raw["public_key"]),
                signature=str(raw["signature"]),
                path=path,
                line=number,
            )
            signature = base64.b64decode(made.signature, validate=True)
        except (ValueError, KeyError, TypeError):
            problems.append(Problem(None, f"{place}无法解析：检查点被篡改或损坏"))
            continue
        if base64.b64decode(made.public_key) != expected_key:
            problems.append(
                Problem(made.seq, f"{place}（第 {made.seq} 条）的公钥与配置的签名密钥不符")
            )
            continue
        try:
            public.verify(signature, made.signed_message())
        except InvalidSignature:
            problems.append(
                Problem(made.seq, f"{place}（第 {made.seq} 条）的签名无效：检查点被篡改")
            )
            continue
        good.append(made)
    return good, problems


# ------------------------------------------------------------------ verify


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    length: int  # entries walked
    head_hash: str  # hash of the last entry (GENESIS when the log is empty)
    first_bad_seq: int | None
    problem: str  # the first problem, in Chinese; "" when ok
    checkpoints: int = 0  # signed checkpoints that verified
    last_seq: int = 0
    problems: tuple[str, ...] = field(default=())


class _Walk:
    """Streams the chain in seq order, a chunk at a time."""

    def __init__(self, checkpoints: dict[int, list[Checkpoint]]) -> None:
        self.checkpoints = checkpoints
        self.seen_checkpoints: set[int] = set()
        self.expected_prev = GENESIS
        self.before_prev: str | None = None
        self.prev_seq: int | None = None
        self.last_seq = 0
        self.length = 0
        self.problems: list[Problem] = []

    def rows(self, after_seq: int) -> Iterator[dict[str, Any]]:
        names = ("seq", *HASHED_FIELDS, "hash")
        while True:
            chunk = list(
                AuditEntry.objects.filter(seq__gt=after_seq).order_by("seq").values(*names)[:CHUNK]
            )
            yield from chunk
            if len(chunk) < CHUNK:
                return
            after_seq = chunk[-1]["seq"]

    def problem(self, seq: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(seq, message))

    def run(self, after_seq: int = 0) -> None:
        for row in self.rows(after_seq):
            seq = row["seq"]
            self.length += 1
            if row["prev_hash"] != self.expected_prev:
                if self.prev_seq is not None and row["prev_hash"] == self.before_prev:
                    self.problem(
                        self.prev_seq,
                        f"第 {self.prev_seq} 条是插入的伪造记录：其后的第 {seq} 条链接的是它之前的记录",
                    )
                else:
                    where = f"第 {self.prev_seq} 条" if self.prev_seq else "链首"
                    self.problem(
                        seq,
                        f"第 {seq} 条的前一条哈希与{where}不符：其间的记录被删除、插入或调换了位置",
                    )
            if entry_hash(row) != row["hash"]:
                self.problem(seq, f"第 {seq} 条的内容与其哈希不符：该条记录被修改")
            for made in self.checkpoints.get(seq, ()):
                self.seen_checkpoints.add(id(made))
                if made.count != self.length or made.head_hash != row["hash"]:
                    self.problem(
                        seq,
                        f"第 {seq} 条与检查点（{made.created_at}）不符："
                        f"检查点记录共 {made.count} 条、链头哈希 {made.head_hash[:16]}…，"
                        f"现为共 {self.length} 条、哈希 {row['hash'][:16]}…：此前的日志被改写",
                    )
            self.before_prev, self.expected_prev = self.expected_prev, row["hash"]
            self.prev_seq = self.last_seq = seq

    def result(self, checkpoints: int) -> VerifyResult:
        first = self.problems[0] if self.problems else None
        return VerifyResult(
            ok=first is None,
            length=self.length,
            head_hash=self.expected_prev,
            first_bad_seq=first.seq if first else None,
            problem=first.message if first else "",
            checkpoints=checkpoints,
            last_seq=self.last_seq,
            problems=tuple(p.message for p in self.problems),
        )


def verify(*, checkpoint_path: Path | str | None = None) -> VerifyResult:
    """Recompute the whole chain and check it against every signed checkpoint.

    Read-only; it never holds more than one chunk of entries in memory.
    """
    path = Path(checkpoint_path) if checkpoint_path else checkpoint_file()
    good, file_problems = read_checkpoints(path)
    by_seq: dict[int, list[Checkpoint]] = {}
    for made in good:
        by_seq.setdefault(made.seq, []).append(made)

    walk = _Walk(by_seq)
    walk.run()
    for made in good:
        if made.seq == 0:
            if made.count != 0 or made.head_hash != GENESIS:
                walk.problem(None, f"空日志的检查点（{made.created_at}）内容不符：检查点被篡改")
            continue
        if id(made) in walk.seen_checkpoints:
            continue
        if made.seq > walk.last_seq:
            walk.problem(
                made.seq,
                f"日志被截断：检查点（{made.created_at}）记录到第 {made.seq} 条、共 {made.count} 条，"
                f"现在日志止于第 {walk.last_seq} 条、共 {walk.length} 条",
            )
        else:
            walk.problem(
                made.seq,
                f"第 {made.seq} 条不存在，但检查点（{made.created_at}）记录了它：该条记录被删除",
            )
    for problem in file_problems:
        walk.problem(problem.seq, problem.message)
    _verify_hashed_models(walk)
    _verify_triggers(walk)
    return walk.result(checkpoints=len(good))


def _verify_hashed_models(walk: _Walk) -> None:
    for registered in hashed_models.values():
        label = registered.label
        entries = AuditEntry.objects.filter(
            object_type=registered.object_type, event__in=RECORD_EVENTS
        )
        queryset = registered.rows().order_by("pk")
        last_pk = None
        while True:
            page = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
            rows = list(page[:CHUNK])
            if not rows:
                break
            last_pk = rows[-1].pk
            logged: dict[str, list[tuple[int, Any]]] = {}
            for seq, object_id, data in entries.filter(
                object_id__in=[str(row.pk) for row in rows]
            ).values_list("seq", "object_id", "data"):
                logged.setdefault(object_id, []).append((seq, (data or {}).get("record_hash")))
            for row in rows:
                name = f"{label} {row.pk}（{registered.object_type}）"
                if str(row.pk) not in logged:
                    walk.problem(None, f"{name}在审计日志中没有登记：该记录未经系统写入")
                    continue
                actual = registered.content_hash(row)
                for seq, recorded in logged[str(row.pk)]:
                    if recorded != actual:
                        walk.problem(
                            seq,
                            f"{name}的内容与审计日志第 {seq} 条登记的哈希不符：该记录被修改",
                        )
        model = queryset.model
        after = 0
        while True:
            chunk = list(
                entries.filter(seq__gt=after)
                .order_by("seq")
                .values_list("seq", "object_id")[:CHUNK]
            )
            if not chunk:
                break
            after = chunk[-1][0]
            ids = {}
            for seq, object_id in chunk:
                try:
                    ids[seq] = model._meta.pk.to_python(object_id)
                except Exception:
                    ids[seq] = None
            existing = {
                str(pk)
                for pk in model._default_manager.filter(
                    pk__in=[v for v in ids.values() if v is not None]
                ).values_list("pk", flat=True)
            }
            for seq, object_id in chunk:
                if str(ids[seq]) not in existing:
                    walk.problem(
                        seq,
                        f"审计日志第 {seq} 条登记的{label} {object_id}（{registered.object_type}）不存在：该记录被删除",
                    )


def _verify_triggers(walk: _Walk) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    tables = {AuditEntry._meta.db_table: "审计日志"}
    for registered in hashed_models.values():
        if registered.append_only:
            tables[registered.rows().model._meta.db_table] = registered.label
    # Every other history table a migration made append-only (grade changes, decisions, …).
    for table, label in append_only_tables(connection).items():
        tables.setdefault(table, label)
    for table, label in tables.items():
        missing = missing_triggers(connection, table)
        if missing:
            walk.problem(
                None,
                f"{label}表 {table} 的防篡改触发器缺失或被停用（{'、'.join(sorted(missing))}）",
            )
