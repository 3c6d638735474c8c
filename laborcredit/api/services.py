"""Writes of the API (第六条): keys created and revoked, calls counted and audited, records
filed by a department's own id so that a retry never files twice."""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from laborcredit.api.models import ApiKey, ApiRateWindow, ApiRecordRequest, Scope
from laborcredit.api.selectors import key_by_prefix
from laborcredit.audit.services import audit_append, audit_append_alone
from laborcredit.credit.models import CreditRecord, Employer, Source
from laborcredit.credit.services import record_create
from laborcredit.lib.errors import Refused
from laborcredit.lib.postgresql import SessionStatement
from laborcredit.lib.ratewindows import NO_WAIT, WindowCounter

KEY_PATTERN = re.compile(r"lc_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
DEPARTMENT_MAX = 100
RATE_MAX = 100_000
RATE_WINDOWS_KEPT = datetime.timedelta(hours=1)


def secret_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    token: str  # the full key, shown once


@transaction.atomic
def apikey_create(
    *,
    department: str,
    scopes: list[str],
    expires_on: datetime.date,
    rate_limit_per_minute: int = 60,
    actor: str,
) -> NewKey:
    """A key for one department's system; it works until the end of `expires_on` (local time)."""
    department = (department or "").strip()
    problems = []
    if not department:
        problems.append(("department", "请填写使用密钥的部门（系统）名称", "field-missing"))
    elif len(department) > DEPARTMENT_MAX:
        problems.append(("department", f"部门名称不能超过 {DEPARTMENT_MAX} 个字符", "too-long"))
    unknown = [s for s in scopes if s not in Scope.values]
    if not scopes:
        problems.append(("scopes", "请至少选择一项权限范围", "field-missing"))
    elif unknown:
        problems.append(
            (
                "scopes",
                f"未知的权限范围：{'、'.join(unknown)}（可选：{'、'.join(Scope.values)}）",
                "value-invalid",
            )
        )
    if expires_on <= timezone.localdate():
        problems.append(("expires", "有效期须晚于今天", "value-invalid"))
    if not (1 <= rate_limit_per_minute <= RATE_MAX):
        problems.append(("rate", f"每分钟调用上限应在 1 至 {RATE_MAX} 之间", "value-invalid"))
    if problems:
        from laborcredit.rules.validation import Problem

        raise Refused([Problem(*p) for p in problems])
    prefix = secrets.token_hex(6)
    token = f"lc_{prefix}_{secrets.token_urlsafe(32)}"
    end = datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
    key = ApiKey.objects.create(
        department=department,
        prefix=prefix,
        secret_hash=secret_hash(token),
        scopes=[s for s in Scope.values if s in scopes],
        expires_at=timezone.make_aware(end),
        rate_limit_per_minute=rate_limit_per_minute,
        created_by=actor,
    )
    audit_append(
        event="api_key_create",
        object_type="api_key",
        object_id=prefix,
        data={
            "department": department,
            "scopes": key.scopes,
            "expires_on": expires_on.isoformat(),
            "rate": rate_limit_per_minute,
        },
    )
    return NewKey(key=key, token=token)


@transaction.atomic
def apikey_revoke(*, prefix: str, actor: str) -> ApiKey:
    """Revoke a key at once: its next call is refused (401)."""
    key = ApiKey.objects.select_for_update().filter(prefix=(prefix or "").strip()).first()
    if key is None:
        raise Refused.one("prefix", f"没有前缀为 {prefix} 的接口密钥", "api-key-unknown")
    if key.revoked_at is not None:
        raise Refused.one("prefix", f"接口密钥 {key.prefix} 已于此前吊销", "api-key-revoked")
    key.revoked_at = timezone.now()
    key.revoked_by = actor
    key.save(update_fields=["revoked_at", "revoked_by"])
    audit_append(
        event="api_key_revoke",
        object_type="api_key",
        object_id=key.prefix,
        data={"department": key.department},
    )
    return key


def key_for_token(token: str, now: datetime.datetime | None = None) -> tuple[ApiKey | None, str]:
    """The key a presented token names and why it may not be used ("" when it may)."""
    match = KEY_PATTERN.fullmatch(token or "")
    if match is None:
        return None, "api-key-invalid"
    key = key_by_prefix(match.group(1))
    if key is None:
        return None, "api-key-invalid"
    refused = _refused(key, token, now or timezone.now())
    return (None, refused) if refused == "api-key-invalid" else (key, refused)


def _refused(key: ApiKey, token: str, now: datetime.datetime) -> str:
    if not hmac.compare_digest(key.secret_hash, secret_hash(token)):
        return "api-key-invalid"
    if key.revoked_at is not None:
        return "api-key-revoked"
    if key.expires_at <= now:
        return "api-key-expired"
    return ""


API_CALLS = WindowCounter(ApiRateWindow, owner="key", seconds=60, keep=RATE_WINDOWS_KEPT)

# The key's last use, written in the counting statement itself on PostgreSQL: one round trip.
_LAST_USED = """, used AS (
    UPDATE api_apikey SET last_used_at = %(now)s
    WHERE id IN ({owners}) AND (last_used_at IS NULL OR last_used_at < %(window)s)
)"""


def call_count(key: ApiKey, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Count one call in the key's current minute: (calls this minute, seconds left in it).

    A row per key and minute, counted in the database (lib.ratewindows), so every worker sees
    one count. The key's last use is written on its first call of a minute (at most once a
    minute: the staff page shows it to the minute); a minute's first call also clears the key's
    rows older than an hour.
    """
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        count = API_CALLS.count(key.pk, now, also=_LAST_USED.format(owners="SELECT %(owner)s"))
    else:
        with transaction.atomic():
            count = API_CALLS.count(key.pk, now)
            ApiKey.objects.filter(pk=key.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=API_CALLS.window(now))
            ).update(last_used_at=now)
    return count, API_CALLS.seconds_left(now)


@dataclass(frozen=True)
class Admission:
    """A presented token: its key (if the prefix names one), why it may not be used ("" when
    it may), and, when it may, the calls counted in this minute and the seconds left in it."""

    key: ApiKey | None
    refused: str
    calls: int = 0
    seconds_left: int = 0


@functools.cache
def _admission() -> SessionStatement:
    """PostgreSQL: the key found, checked and counted in one statement (every call's hot path),
    prepared once per session.

    Only a usable key is counted, as `key_for_token` then `call_count` would; Python checks the
    row again (`_refused`, in constant time) and decides. The database's comparison of the
    stored and presented SHA-256 digests may take variable time; that tells nothing about the
    secret, whose digest an attacker cannot steer.
    """
    usable = "SELECT id FROM usable"
    # Named columns, not *: the statement is prepared, and a column added by a migration must
    # not change the result of a prepared statement on a running server.
    columns = ", ".join(
        connection.ops.quote_name(field.column) for field in ApiKey._meta.concrete_fields
    )
    sql = f"""
WITH key AS (SELECT {columns} FROM api_apikey WHERE prefix = %(prefix)s),
usable AS (
    SELECT id FROM key
    WHERE secret_hash = %(secret)s AND revoked_at IS NULL AND expires_at > %(now)s
), {API_CALLS.counting(owners=usable)}{_LAST_USED.format(owners=usable)}
SELECT key.*, (SELECT "count" FROM counted) AS calls, {NO_WAIT} AS no_wait FROM key
"""
    return SessionStatement(
        name="laborcredit_api_admission",
        sql=sql,
        types={
            "prefix": "text",
            "secret": "text",
            **dict.fromkeys(("now", "window", "old"), "timestamptz"),
        },
    )


def key_admitted(token: str, now: datetime.datetime | None = None) -> Admission:
    """The key a token names, checked (`key_for_token`) and, if usable, counted (`call_count`)."""
    now = now or timezone.now()
    match = KEY_PATTERN.fullmatch(token or "")
    if connection.vendor != "postgresql" or match is None:
        key, refused = key_for_token(token, now)
        if refused or key is None:
            return Admission(key, refused or "api-key-invalid")
        calls, left = call_count(key, now)
        return Admission(key, "", calls, left)
    params = {
        "prefix": match.group(1),
        "secret": secret_hash(token),
        **API_CALLS.parameters(None, now),
    }
    with connection.cursor() as cursor:
        _admission().execute(cursor, params)
        row = cursor.fetchone()
    if row is None:
        return Admission(None, "api-key-invalid")
    *values, calls, _no_wait = row
    key = _key_from_row(values)
    refused = _refused(key, token, now)
    if refused == "api-key-invalid":
        return Admission(None, refused)
    if refused:
        return Admission(key, refused)
    return Admission(key, "", int(calls), API_CALLS.seconds_left(now))


def _key_from_row(values: list[Any]) -> ApiKey:
    """The key from the admission statement's row: its columns are the key's concrete fields,
    in order (`_admission`)."""
    attnames, converters = _key_row_reader()
    converted = [
        value if convert is None else convert(value, None, connection)
        for value, convert in zip(values, converters, strict=True)
    ]
    return ApiKey.from_db(connection.alias, attnames, converted)


@functools.cache
def _key_row_reader() -> tuple[list[str], list[Any]]:
    """The concrete fields' attribute names and their `from_db_value` (None for most)."""
    fields = ApiKey._meta.concrete_fields
    return (
        [field.attname for field in fields],
        [getattr(field, "from_db_value", None) for field in fields],
    )


AUDIT_CODES = 20  # codes listed in one audit entry; the count is always there


def api_call_audit(
    *,
    key_prefix: str,
    department: str,
    endpoint: str,
    method: str,
    status: int,
    code: str,
    employers: list[str],
    count: int | None = None,
) -> None:
    """One audit entry per call (AU1): who, what, which employers, and the outcome."""
    if status < 400:
        outcome = "success"
    elif status in (401, 403, 429):
        outcome = "denied"
    else:
        outcome = "failure"
    # The entry's commit waits for the disk like every other: an answered call whose entry a
    # database crash could lose would break AU1 (exactly one entry per call). The entry is its
    # own transaction, on PostgreSQL one round trip, so the chain's head is held only for the
    # database's work and the disk's sync (docs/performance.md).
    audit_append_alone(
        event="api_call",
        object_type="api_key",
        object_id=key_prefix or "—",
        outcome=outcome,
        data={
            "department": department,
            "endpoint": endpoint,
            "method": method,
            "status": status,
            "code": code,
            "employer_count": len(employers) if count is None else count,
            "employers": employers[:AUDIT_CODES],
        },
    )


# ---------------------------------------------------------------- records


def body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Filed:
    record: CreditRecord
    created: bool


class IdempotencyConflict(Exception):
    """The same caller id was used before with a different body."""


@transaction.atomic
def api_record_file(
    *, key: ApiKey, employer: Employer, caller_id: str, fields: dict[str, Any]
) -> Filed:
    """File a record (第五条) for a department's system, idempotent by its own `caller_id`:
    the same id and body gives the record filed the first time; another body is refused."""
    digest = body_hash({"uscc": employer.uscc, **fields})
    try:
        with transaction.atomic():
            request = ApiRecordRequest.objects.create(
                department=key.department, caller_id=caller_id, body_hash=digest, key=key
            )
    except IntegrityError:
        # A first call (perhaps still running in another worker: the insert waited for it).
        earlier = ApiRecordRequest.objects.select_related("record").get(
            department=key.department, caller_id=caller_id
        )
        if earlier.body_hash != digest or earlier.record is None:
            raise IdempotencyConflict from None
        return Filed(record=earlier.record, created=False)
    record = record_create(
        employer=employer,
        actor=f"api:{key.department}"[:150],
        source=Source.API,
        source_ref=f"{key.department}:{caller_id}",
        **fields,
    )
    request.record = record
    request.save(update_fields=["record"])
    return Filed(record=record, created=True)
