"""Writes to the credit file (第五条–第七条). Every write is audited in its own transaction
and regrades the employer at once (第十三条 动态调整); a refused write changes nothing."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from laborcredit.audit.services import audit_append, audit_held
from laborcredit.credit.models import (
    PENALTY_DETAIL_FIELDS,
    PENALTY_DETAIL_TEXTS,
    Action,
    CreditRecord,
    Disclosure,
    Employer,
    EmployerName,
    Source,
)
from laborcredit.credit.reference import (
    PENALTY_CATEGORIES,
    REGISTRATION_TYPES,
    TOWNSHIPS,
    industry_name,
)
from laborcredit.exchange.services import outbox_record, outbox_records
from laborcredit.lib.bulk import bulk_insert
from laborcredit.lib.errors import Refused
from laborcredit.lib.fieldcrypto import blind_index
from laborcredit.lib.masking import is_id_number, mask_id_number, mask_name, mask_phone
from laborcredit.rules.validation import (
    CaseRow,
    Problem,
    case_problems,
    check_record_sequence,
    check_uscc,
    record_from_mapping,
)
from laborcredit.rules.vocabulary import Record, RecordType

# ---------------------------------------------------------------- employers

EMPLOYER_FIELDS = (
    "name",
    "legal_rep_name",
    "legal_rep_id_number",
    "address",
    "township",
    "industry_code",
    "registration_type",
    "employees",
    "contact_name",
    "contact_phone",
)
_PERSONAL = {"legal_rep_name": mask_name, "legal_rep_id_number": mask_id_number,
             "contact_phone": mask_phone}  # fmt: skip


def check_id_number(value: str) -> str | None:
    """GB 11643: the reason an ID number is invalid, or None."""
    number = value.strip().upper()
    if is_id_number(number) and number[6:14] <= timezone.localdate().strftime("%Y%m%d"):
        return None
    return "身份证号码无效（GB 11643 校验码或出生日期不符）"


def employer_problems(fields: Mapping[str, Any], place: str = "") -> list[Problem]:
    """Every problem with an employer's basic information, each with its field as place."""
    at = (lambda f: f"{place}.{f}") if place else (lambda f: f)
    problems = []
    name = (fields.get("name") or "").strip()
    if "name" in fields and not name:
        problems.append(Problem(at("name"), "单位名称不能为空", "field-missing"))
    id_number = (fields.get("legal_rep_id_number") or "").strip()
    if id_number and (message := check_id_number(id_number)):
        problems.append(Problem(at("legal_rep_id_number"), message, "id-number-invalid"))
    township = fields.get("township") or ""
    if township and township not in TOWNSHIPS:
        problems.append(
            Problem(at("township"), f"“{township}”不是舞钢市的乡镇（街道）", "township-unknown")
        )
    code = (fields.get("industry_code") or "").strip().upper()
    if code and industry_name(code) is None:
        problems.append(
            Problem(
                at("industry_code"), f"行业代码“{code}”不符合 GB/T 4754-2017", "industry-unknown"
            )
        )
    registration = fields.get("registration_type") or ""
    if registration and registration not in REGISTRATION_TYPES:
        problems.append(
            Problem(at("registration_type"), f"未知的登记注册类型“{registration}”", "value-invalid")
        )
    employees = fields.get("employees")
    if employees not in (None, "") and (not isinstance(employees, int) or employees < 0):
        problems.append(Problem(at("employees"), "职工人数应为非负整数", "value-invalid"))
    phone = (fields.get("contact_phone") or "").strip()
    if phone and not phone.replace("-", "").isdigit():
        problems.append(Problem(at("contact_phone"), "联系电话只能包含数字和“-”", "value-invalid"))
    return problems


def clean_employer_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Basic information as stored: known fields only, text trimmed (the services and the
    bulk loader store the same form)."""
    unknown = set(fields) - set(EMPLOYER_FIELDS)
    if unknown:
        raise Refused.one(",".join(sorted(unknown)), "未知的单位信息字段", "field-unknown")
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if cleaned.get("industry_code"):
        cleaned["industry_code"] = cleaned["industry_code"].upper()
        cleaned["industry_name"] = industry_name(cleaned["industry_code"])
    if "legal_rep_id_number" in cleaned:
        cleaned["legal_rep_id_number"] = (cleaned["legal_rep_id_number"] or "").upper()
        cleaned["legal_rep_id_index"] = blind_index(cleaned["legal_rep_id_number"])
    if cleaned.get("employees") == "":
        cleaned["employees"] = None
    return cleaned


def masked_employer_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Basic information as the audit log may hold it: personal information masked."""
    return {
        k: _PERSONAL[k](v) if k in _PERSONAL and v else v
        for k, v in fields.items()
        if k != "legal_rep_id_index"
    }


@transaction.atomic
def employer_create(*, uscc: str, actor: str, **fields: Any) -> Employer:
    """Register an employer (第五条 基础信息) and give it its first grade."""
    from laborcredit.rating.services import employer_regrade

    code, message = check_uscc(uscc)
    problems = [Problem("uscc", message, "uscc-invalid")] if message else []
    if "name" not in fields:
        problems.append(Problem("name", "单位名称不能为空", "field-missing"))
    problems += employer_problems(fields)
    if problems:
        raise Refused(problems)
    if Employer.objects.filter(uscc=code).exists():
        raise Refused.one("uscc", f"统一社会信用代码 {code} 已登记", "employer-exists")
    cleaned = clean_employer_fields(fields)
    employer = Employer.objects.create(uscc=code, **cleaned)
    EmployerName.objects.create(employer=employer, name=employer.name)
    audit_append(
        event="employer_create",
        object_type="employer",
        object_id=employer.uscc,
        data={"after": masked_employer_fields({"uscc": code, **cleaned})},
    )
    employer_regrade(employer=employer, cause="initial", actor=actor)
    return employer


@transaction.atomic
def employer_update(
    *, employer: Employer, actor: str, renamed_on: datetime.date | None = None, **fields: Any
) -> Employer:
    """Change basic information; a new name is added to the name history, the old one kept."""
    problems = employer_problems(fields)
    if problems:
        raise Refused(problems)
    cleaned = clean_employer_fields(fields)
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    before = {k: getattr(employer, k) for k in cleaned}
    changed = {k: v for k, v in cleaned.items() if before[k] != v}
    if not changed:
        return employer
    if "name" in changed:
        EmployerName.objects.filter(employer=employer, used_until__isnull=True).update(
            used_until=renamed_on or timezone.localdate()
        )
        EmployerName.objects.create(
            employer=employer, name=changed["name"], used_from=renamed_on or timezone.localdate()
        )
    for key, value in changed.items():
        setattr(employer, key, value)
    employer.save()
    audit_append(
        event="employer_update",
        object_type="employer",
        object_id=employer.uscc,
        data={
            "before": masked_employer_fields({k: before[k] for k in changed}),
            "after": masked_employer_fields(changed),
        },
    )
    return employer


# ---------------------------------------------------------------- records

RECORD_DETAIL_FIELDS = (
    "document_number",
    "issuing_body",
    "description",
    "disclosure",
    "source",
    "source_ref",
    *PENALTY_DETAIL_FIELDS,
)
RULE_FIELDS = ("date", "case", "correction_deadline", "passed", "level")

PENALTY_TEXT_LIMITS = {
    "violation_type": 200,
    "penalty_basis": 1000,
    "penalty_category": 200,
    "penalty_content": 1000,
}
FINE_MAX = decimal.Decimal("999999999999.99")
_CATEGORY_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def penalty_categories(value: Any) -> tuple[list[str], list[str]]:
    """处罚类别 as written (several joined by 、，；or spaces): the known kinds in
    行政处罚法第九条's order, and the words that are not one."""
    words = [w for w in _CATEGORY_SEPARATORS.split(str(value or "").strip()) if w]
    unknown = [w for w in words if w not in PENALTY_CATEGORIES]
    return [c for c in PENALTY_CATEGORIES if c in words], unknown


def fine_amount(value: Any) -> decimal.Decimal | None:
    """罚款金额 in yuan as written (a number, or text such as "2,000" or "2000元"); None when
    it is not an amount of at most two decimal places."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount > FINE_MAX:
        return None
    if amount != amount.quantize(decimal.Decimal("0.01")):
        return None
    return amount.quantize(decimal.Decimal("0.01"))


def penalty_detail_problems(place: str, fields: Mapping[str, Any]) -> list[Problem]:
    """The 双公示 fields (违法行为类型, 处罚依据, 处罚类别, 处罚内容, 罚款金额): only on a
    行政处罚 record, each within its length, the kinds from 行政处罚法第九条, the fine an
    amount in yuan, given exactly when 罚款 is among the kinds."""
    given = [n for n in PENALTY_DETAIL_FIELDS if fields.get(n) not in (None, "")]
    if not given:
        return []
    if fields.get("type") != RecordType.PENALTY_IMPOSED:
        label = CreditRecord._meta.get_field(given[0]).verbose_name
        return [
            Problem(
                f"{place}.{given[0]}",
                f"“{label}”只在行政处罚记录中填写（双公示），"
                f"{RecordType.PENALTY_IMPOSED.label}以外的记录请留空",
                "field-not-applicable",
            )
        ]
    problems = []
    for name, limit in PENALTY_TEXT_LIMITS.items():
        value = fields.get(name)
        if isinstance(value, str) and len(value.strip()) > limit:
            label = CreditRecord._meta.get_field(name).verbose_name
            problems.append(
                Problem(
                    f"{place}.{name}",
                    f"{label}不能超过 {limit} 个字符（现为 {len(value.strip())} 个）",
                    "too-long",
                )
            )
    if fields.get("penalty_category") not in (None, ""):
        _, unknown = penalty_categories(fields["penalty_category"])
        if unknown:
            problems.append(
                Problem(
                    f"{place}.penalty_category",
                    f"未知的处罚类别“{'、'.join(unknown)}”，应为《行政处罚法》第九条所列："
                    f"{'、'.join(PENALTY_CATEGORIES)}（多项用顿号分隔）",
                    "value-invalid",
                )
            )
    if fields.get("fine_amount") not in (None, ""):
        if fine_amount(fields["fine_amount"]) is None:
            problems.append(
                Problem(
                    f"{place}.fine_amount",
                    f"罚款金额应为以元为单位、至多两位小数的非负金额，收到“{fields['fine_amount']}”",
                    "value-invalid",
                )
            )
        elif "罚款" not in penalty_categories(fields.get("penalty_category"))[0]:
            problems.append(
                Problem(
                    f"{place}.penalty_category",
                    "填写了罚款金额，处罚类别应包含“罚款”",
                    "fine-without-category",
                )
            )
    elif "罚款" in penalty_categories(fields.get("penalty_category"))[0]:
        # 双公示 publishes the amount of every fine; a 罚款 without it would go out empty.
        problems.append(
            Problem(
                f"{place}.fine_amount",
                "处罚类别含“罚款”，请填写罚款金额（元）",
                "fine-missing",
            )
        )
    return problems


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def rule_mapping(type: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields the rules package checks for a record of `type`, as in the `rate` input."""
    mapping: dict[str, Any] = {"type": type}
    for name in RULE_FIELDS:
        value = values.get(name)
        if value not in (None, ""):
            mapping[name] = _iso(value)
    if type == RecordType.PENALTY_IMPOSED and values.get("document_number"):
        mapping["document"] = values["document_number"]
    return mapping


EARLIEST_RECORD_DATE = datetime.date(1995, 1, 1)
"""《中华人民共和国劳动法》施行之日: no fact of an employer's labour-security credit is dated
before it, so an earlier date is a slip of the keyboard (0001-01-01, 1026-05-01 for 2026)."""


_MISDATED = ("date-in-future", "date-too-early")


def record_row_problems(
    place: str, fields: Mapping[str, Any], *, today: datetime.date
) -> tuple[Record | None, list[Problem]]:
    """One new record on its own: the rules package's vocabulary, no date in the future or
    before EARLIEST_RECORD_DATE, the detail fields. The record is None when its fields cannot
    be read, and returned with its problem when only its date is out of range."""
    problems: list[Problem] = []
    record_type = fields.get("type") or ""
    record, found = record_from_mapping(rule_mapping(record_type, fields), place)
    problems += found
    if record is not None and record.date > today:
        problems.append(
            Problem(
                f"{place}.date",
                f"日期 {record.date} 晚于今天，不能登记将来的事实",
                "date-in-future",
            )
        )
    elif record is not None and record.date < EARLIEST_RECORD_DATE:
        problems.append(
            Problem(
                f"{place}.date",
                f"日期 {record.date} 早于 {EARLIEST_RECORD_DATE}（《中华人民共和国劳动法》"
                "施行之日），请核对是否录错",
                "date-too-early",
            )
        )
    for name in ("disclosure", "source"):
        allowed = Disclosure.values if name == "disclosure" else Source.values
        if fields.get(name) and fields[name] not in allowed:
            problems.append(
                Problem(f"{place}.{name}", f"无效的取值“{fields[name]}”", "value-invalid")
            )
    problems += penalty_detail_problems(place, fields)
    return record, problems


def _case_row(fields: Mapping[str, Any]) -> CaseRow | None:
    """(case, type) of a row, when it names both."""
    case, type_ = fields.get("case"), fields.get("type")
    if isinstance(case, str) and case.strip() and isinstance(type_, str):
        if type_ in RecordType._value2member_map_:
            return case.strip(), RecordType(type_)
    return None


def record_problems(
    employer_records: Iterable[Record],
    new: list[tuple[str, Mapping[str, Any]]],
    *,
    today: datetime.date,
    repeats_skipped: bool = False,
) -> tuple[list[Record | None], list[Problem]]:
    """Check new records (place, fields) against each other and the employer's effective records.

    One definition of a valid record for every way in (form, import, API): each record on its
    own (`record_row_problems`), then its case (a penalty follows a violation found, nothing
    dated before the finding, one correction and one fulfilment: `case_problems`) and the
    blacklist (removals follow listings). The case and blacklist checks run even when some
    records have problems of their own, so that one answer names every problem; a record that
    cannot be read, or whose date is out of range, counts as present for its case but gives no
    date to hold the others to, so that no other record is blamed for its mistake.
    With `repeats_skipped` (the import), a record saying exactly what an effective record or an
    earlier new one says is checked once, as it is stored once.

    The parsed records come back in order, None for a record that cannot be read or whose date
    is out of range.
    """
    problems: list[Problem] = []
    parsed: list[Record | None] = []
    unread: list[CaseRow] = []
    existing = list(employer_records)
    combined = list(existing)
    places: list[str] = []
    misdated: set[int] = set()
    known = set(existing) if repeats_skipped else set()
    listing_unread = False
    for place, fields in new:
        record, found = record_row_problems(place, fields, today=today)
        problems += found
        out_of_range = any(p.code in _MISDATED for p in found)
        if record is None or out_of_range:
            if (row := _case_row(fields)) is not None:
                unread.append(row)
            listing_unread |= fields.get("type") == RecordType.BLACKLIST_LISTED
        parsed.append(None if out_of_range else record)
        if record is None or record in known:
            continue
        if repeats_skipped:
            known.add(record)
        if out_of_range:
            misdated.add(len(combined))
        combined.append(record)
        places.append(place)
    for p in case_problems(combined, unread):
        if p.index >= len(existing) and not (p.index in misdated and p.code == "date-order"):
            place = places[p.index - len(existing)]
            problems.append(Problem(f"{place}.{p.field}", p.reason, p.code))
    # A listing that cannot be read leaves its removal's order unknown until it is put right.
    if new and not listing_unread:
        sequence = [r for i, r in enumerate(combined) if i not in misdated]
        problems += [
            Problem(new[-1][0], p.message, p.code)
            for p in check_record_sequence(sequence, new[-1][0])
        ]
    return parsed, problems


def _typed(record: Record) -> dict[str, Any]:
    """The checked values of a record's rule fields (dates as dates), for storing."""
    return {
        "date": record.date,
        "case": record.case or "",
        "correction_deadline": record.correction_deadline,
        "passed": record.passed,
        "level": record.level or "",
    }


def _effective_rule_records(employer: Employer) -> list[Record]:
    return [r.as_rule_record() for r in CreditRecord.objects.effective().filter(employer=employer)]


def _new_version(**values: Any) -> CreditRecord:
    record = CreditRecord(entered_at=timezone.now(), **values)
    record.fingerprint = record.compute_fingerprint()
    record.content_hash = record.compute_content_hash()
    record.save(force_insert=True)
    return record


def _record_audit(event: str, record: CreditRecord, **data: Any) -> None:
    audit_append(
        event=event,
        object_type="credit_record",
        object_id=str(record.pk),
        data={
            "record_hash": record.content_hash,
            "uscc": record.employer.uscc,
            "lineage": str(record.lineage),
            "version": record.version,
            "type": record.type,
            "date": record.date.isoformat(),
            **data,
        },
    )


@transaction.atomic
def record_create(
    *,
    employer: Employer,
    type: str,
    date: datetime.date,
    actor: str,
    regrade: bool = True,
    **fields: Any,
) -> CreditRecord:
    """File one credit record (第五条) and regrade the employer at once (第十三条).

    The employer's row is locked first, and every other writer of its records (correction,
    void, import's regrade) takes the same lock: the records read for the checks, with the
    new one, are the records the regrade grades, without reading them again.
    """
    from laborcredit.rating.services import effective_records, employer_regrade

    values = {"type": type, "date": date, **fields}
    _check_known_fields(values)
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    effective = effective_records([employer.pk]).get(employer.pk, [])
    _, problems = record_problems(effective, [("record", values)], today=timezone.localdate())
    if problems:
        raise Refused(problems)
    record = _new_version(employer=employer, entered_by=actor, **_model_values(values))
    _record_audit("record_create", record)
    outbox_record(record)  # 第六条: the platform's copy, in this transaction
    if regrade:
        employer_regrade(
            employer=employer, cause="record", record=record, actor=actor,
            records=[*effective, record.as_rule_record()],
        )  # fmt: skip
    return record


def _check_known_fields(values: Mapping[str, Any]) -> None:
    known = {"type", *RULE_FIELDS, *RECORD_DETAIL_FIELDS}
    unknown = sorted(set(values) - known)
    if unknown:
        raise Refused(
            [Problem(f"record.{k}", f"信用记录没有字段 {k}", "field-unknown") for k in unknown]
        )


def _model_values(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if v is not None}
    texts = ("case", "level", "document_number", "issuing_body", "description", "source_ref")
    for text in (*texts, *PENALTY_DETAIL_TEXTS):
        if out.get(text) is None:
            out.pop(text, None)
        elif isinstance(out[text], str):
            out[text] = out[text].strip()
    if out.get("penalty_category"):
        out["penalty_category"] = "、".join(penalty_categories(out["penalty_category"])[0])
    if "fine_amount" in out:
        out["fine_amount"] = fine_amount(out["fine_amount"]) if out["fine_amount"] != "" else None
    return out


def record_version_problem(record: CreditRecord) -> Problem | None:
    """Why this version cannot be corrected or voided (superseded, or itself a void), or None."""
    if CreditRecord.objects.filter(supersedes=record).exists():
        return Problem("record", "该记录已被更正或作废，请在最新版本上操作", "record-superseded")
    if record.action == Action.VOID:
        return Problem("record", "该记录已作废", "record-void")
    return None


def _current_version(record: CreditRecord) -> CreditRecord:
    record = CreditRecord.objects.select_related("employer").get(pk=record.pk)
    problem = record_version_problem(record)
    if problem is not None:
        raise Refused([problem])
    return record


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refused.one("reason", "更正或作废信用记录必须说明原因（第七条）", "reason-missing")
    return reason


def _supersede(
    old: CreditRecord, *, action: str, reason: str, actor: str, **changes: Any
) -> CreditRecord:
    copied = {name: getattr(old, name) for name in ("type", *RULE_FIELDS, *RECORD_DETAIL_FIELDS)}
    copied.update(changes)
    try:
        with transaction.atomic():
            return _new_version(
                employer=old.employer,
                lineage=old.lineage,
                version=old.version + 1,
                supersedes=old,
                action=action,
                reason=reason,
                entered_by=actor,
                **_model_values(copied),
            )
    except IntegrityError:
        raise Refused.one(
            "record", "该记录刚被他人更正或作废，请刷新后在最新版本上操作", "record-superseded"
        ) from None


def _others(record: CreditRecord) -> list[Record]:
    """The employer's effective records but this one, for the rules."""
    return [
        r.as_rule_record()
        for r in CreditRecord.objects.effective()
        .filter(employer_id=record.employer_id)
        .exclude(pk=record.pk)
    ]


_BROKEN_BY = {
    "case-unknown": "将失去依据",
    "date-order": "的日期将前后矛盾",
    "case-duplicate": "将在同一案件中重复",
}


def _others_broken(
    others: list[Record], before: Record | None, after: Record | None, verb: str
) -> list[Problem]:
    """What a correction (before → after) or a void (after None) does to the employer's other
    records: the case problems it would give them that they do not have now. A problem the
    records already had (entered before these checks existed) does not stop the change."""
    had = {
        (p.index, p.code)
        for p in case_problems([*others, *([before] if before else [])])
        if p.index < len(others)
    }
    return [
        Problem("record", f"{verb}后其他记录{_BROKEN_BY[p.code]}：{p.reason}", p.code)
        for p in case_problems([*others, *([after] if after else [])])
        if p.index < len(others) and (p.index, p.code) not in had
    ]


def record_correction_problems(
    record: CreditRecord, changes: Mapping[str, Any]
) -> tuple[list[Record], list[Problem]]:
    """What correcting `record` with `changes` would leave (the employer's records), or why not.

    The correction service and its preview both ask this."""
    proposed = {
        name: getattr(record, name) for name in ("type", *RULE_FIELDS, *RECORD_DETAIL_FIELDS)
    }
    proposed.update(changes)
    others = _others(record)
    parsed, problems = record_problems(others, [("record", proposed)], today=timezone.localdate())
    combined = others + [r for r in parsed if r is not None]
    if parsed[0] is not None:
        # Records of the old case and the new must keep what they follow, in order (as in a void).
        problems += _others_broken(others, record.as_rule_record(), parsed[0], "更正")
    return combined, problems


def record_void_problems(record: CreditRecord) -> tuple[list[Record], list[Problem]]:
    """What voiding `record` would leave, or why not (a penalty must keep its violation)."""
    remaining = _others(record)
    problems = _others_broken(remaining, record.as_rule_record(), None, "作废")
    # A removal left without its listing: said as what the void would do, like the case checks.
    problems += [
        Problem(p.place, f"作废后其他记录将失去依据：{p.message}", p.code)
        for p in check_record_sequence(remaining, "record")
    ]
    return remaining, problems


@transaction.atomic
def record_correct(
    *, record: CreditRecord, reason: str, actor: str, **changes: Any
) -> CreditRecord:
    """A correction: a new version superseding the old one, with its reason (第七条)."""
    from laborcredit.rating.services import employer_regrade

    reason = _require_reason(reason)
    Employer.objects.select_for_update().get(pk=record.employer_id)
    old = _current_version(record)
    if "type" in changes and changes["type"] != old.type:
        raise Refused.one("record.type", "不能更改记录类型；请作废后重新登记", "type-change")
    _check_known_fields({"type": old.type, **changes})
    if all(getattr(old, k) == v for k, v in changes.items()):
        raise Refused.one("record", "更正内容与原记录相同", "no-change")
    _, problems = record_correction_problems(old, changes)
    if problems:
        raise Refused(problems)
    new = _supersede(old, action=Action.CORRECT, reason=reason, actor=actor, **changes)
    _record_audit(
        "record_correct",
        new,
        reason=reason,
        supersedes=old.pk,
        before={k: _iso(getattr(old, k)) for k in changes},
        after={k: _iso(v) for k, v in changes.items()},
    )
    outbox_record(new)
    employer_regrade(employer=old.employer, cause="record", record=new, actor=actor)
    return new


@transaction.atomic
def record_void(*, record: CreditRecord, reason: str, actor: str) -> CreditRecord:
    """A void: a new version marking the record void, with its reason; the old stays readable."""
    from laborcredit.rating.services import employer_regrade

    reason = _require_reason(reason)
    Employer.objects.select_for_update().get(pk=record.employer_id)
    old = _current_version(record)
    _, problems = record_void_problems(old)
    if problems:
        raise Refused(problems)
    new = _supersede(old, action=Action.VOID, reason=reason, actor=actor)
    _record_audit("record_void", new, reason=reason, supersedes=old.pk)
    outbox_record(new)
    employer_regrade(employer=old.employer, cause="record", record=new, actor=actor)
    return new


# ---------------------------------------------------------------- many at once (imports, demo data)


@dataclass
class ImportSummary:
    employers_created: int = 0
    employers_updated: int = 0
    records_created: int = 0
    records_skipped: int = 0  # already in the credit file (the same file imported again)
    grades_changed: int = 0


@transaction.atomic
@audit_held()  # the chain's head is held from the entries' writing to the commit
def credit_file_import(
    *,
    employers: list[tuple[str, dict[str, Any]]],
    records: list[tuple[str, dict[str, Any]]],
    actor: str,
    source: str = Source.IMPORT,
    source_name: str = "",
    today: datetime.date | None = None,
) -> ImportSummary:
    """Add many employers and records at once, all or nothing.

    Each row is (place, fields): employers with `uscc` and basic information,
    records with `uscc` and the record's fields. Every row is checked as the
    single-record services check it, against the credit file and the rest of
    the batch; any problem refuses the whole batch with every problem named.
    A record already in the credit file (same fingerprint) is skipped, so the
    same file imported twice adds nothing the second time.
    """
    from laborcredit.audit.services import audit_append_many
    from laborcredit.rating.services import regrade_employers

    today = today or timezone.localdate()
    problems: list[Problem] = []
    new_employers: dict[str, tuple[str, dict[str, Any]]] = {}
    for place, fields in employers:
        # Every problem of every row in one answer: a bad code does not hide the row's others.
        fields = dict(fields)
        code, message = check_uscc(fields.pop("uscc", None))
        if message:
            problems.append(Problem(f"{place}.uscc", message, "uscc-invalid"))
        elif code in new_employers:
            problems.append(
                Problem(
                    f"{place}.uscc",
                    f"单位 {code} 在文件中重复（{new_employers[code][0]}）",
                    "employer-duplicate",
                )
            )
        if not (fields.get("name") or "").strip():
            problems.append(Problem(f"{place}.name", "单位名称不能为空", "field-missing"))
        problems += employer_problems(fields, place)
        if code is not None and code not in new_employers:
            new_employers[code] = (place, fields)

    known = {e.uscc: e for e in Employer.objects.filter(uscc__in=list(new_employers))}
    by_employer: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    # Rows whose employer is not known are checked on their own (their case and order need
    # the employer's records), so that the next upload does not bring new problems to light.
    unplaced: list[tuple[str, dict[str, Any]]] = []
    for place, fields in records:
        fields = dict(fields)
        code, message = check_uscc(fields.pop("uscc", None))
        if message:
            problems.append(Problem(f"{place}.uscc", message, "uscc-invalid"))
            unplaced.append((place, fields))
            continue
        by_employer.setdefault(code, []).append((place, fields))  # type: ignore[arg-type]
    missing = set(by_employer) - set(new_employers) - set(known)
    if missing:
        known.update({e.uscc: e for e in Employer.objects.filter(uscc__in=list(missing))})
    for code in sorted(set(by_employer) - set(new_employers) - set(known)):
        for place, fields in by_employer.pop(code):
            problems.append(
                Problem(
                    f"{place}.uscc", f"单位 {code} 未登记，也不在本文件的单位中", "employer-unknown"
                )
            )
            unplaced.append((place, fields))
    for place, fields in unplaced:
        _check_known_fields(fields)
        problems += record_row_problems(place, fields, today=today)[1]

    existing = effective_records_by_uscc([known[c].pk for c in by_employer if c in known])
    fingerprints = set(
        CreditRecord.objects.effective()
        .filter(employer__uscc__in=list(by_employer))
        .values_list("fingerprint", flat=True)
    )
    to_add: list[tuple[str, dict[str, Any]]] = []
    for code, rows in by_employer.items():
        employer = known.get(code)
        for _, fields in rows:
            _check_known_fields(fields)
        parsed, found = record_problems(
            existing.get(employer.pk, []) if employer else [],
            rows,
            today=today,
            repeats_skipped=True,
        )
        problems += found
        for (_, fields), record in zip(rows, parsed, strict=True):
            if record is not None:
                to_add.append((code, {**fields, **_typed(record)}))
    if problems:
        raise Refused(problems)

    summary = ImportSummary()
    audit_items: list[dict[str, Any]] = []
    fresh: list[Employer] = []
    for code, (_place, fields) in new_employers.items():
        cleaned = clean_employer_fields(fields)
        employer = known.get(code)
        if employer is None:
            fresh.append(Employer(uscc=code, **cleaned))
            summary.employers_created += 1
            audit_items.append(
                {"event": "employer_create", "object_type": "employer", "object_id": code,
                 "data": {"after": masked_employer_fields({"uscc": code, **cleaned}), "source": source_name}}
            )  # fmt: skip
        elif any(getattr(employer, k) != v for k, v in cleaned.items()):
            employer_update(employer=employer, actor=actor, **fields)
            summary.employers_updated += 1
    for employer in bulk_insert(fresh):
        known[employer.uscc] = employer
    bulk_insert([EmployerName(employer=e, name=e.name) for e in fresh])

    now = timezone.now()
    versions = []
    seen = set(fingerprints)
    for code, fields in to_add:
        fields.setdefault("source", source)
        fields.setdefault("source_ref", source_name)
        record = CreditRecord(
            employer=known[code], entered_by=actor, entered_at=now, **_model_values(fields)
        )
        record.fingerprint = record.compute_fingerprint()
        if record.fingerprint in seen:
            summary.records_skipped += 1
            continue
        seen.add(record.fingerprint)
        record.content_hash = record.compute_content_hash()
        versions.append(record)
    created = bulk_insert(versions)
    summary.records_created = len(created)
    outbox_records(created)
    audit_items += [
        {
            "event": "record_create",
            "object_type": "credit_record",
            "object_id": str(r.pk),
            "data": {
                "record_hash": r.content_hash,
                "uscc": r.employer.uscc,
                "lineage": str(r.lineage),
                "version": r.version,
                "type": r.type,
                "date": r.date.isoformat(),
                "source": source_name,
            },
        }
        for r in created
    ]
    audit_items.append(
        {"event": "import_run", "object_type": "import", "object_id": source_name[:200],
         "data": {"employers_created": summary.employers_created,
                  "employers_updated": summary.employers_updated,
                  "records_created": summary.records_created,
                  "records_skipped": summary.records_skipped}}
    )  # fmt: skip
    audit_append_many(audit_items)
    touched = {r.employer_id for r in created} | {
        known[code].pk for code in new_employers if code in known
    }
    summary.grades_changed = regrade_employers(
        sorted(touched), cause="record", actor=actor, as_of=today
    )
    return summary


def effective_records_by_uscc(employer_ids: list[int]) -> dict[int, list[Record]]:
    from laborcredit.rating.services import effective_records

    return effective_records(employer_ids) if employer_ids else {}
