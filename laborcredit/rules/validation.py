"""Checks on credit information as it arrives, each answered in Chinese with its place.

One definition for every way records come in (the `rate` command, imports,
the API): fields per record type from `vocabulary`, dates as YYYY-MM-DD, the
unified social credit code with its GB 32100-2015 check character.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from laborcredit.rules.grading import RecordSequenceError, blacklist_spells
from laborcredit.rules.vocabulary import PROVINCIAL_LEVELS, Field, Record, RecordType


@dataclass(frozen=True, slots=True)
class Problem:
    """One refusal: where (`employers[3].records[1].date`), why in Chinese, and a stable code."""

    place: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TYPES = {t.value: t for t in RecordType}
_TYPE_NAMES = "、".join(t.value for t in RecordType)
_FIELD_SPECS = {t: {f.name: f for f in t.fields} for t in RecordType}
_FIELD_LABELS = {name: f.label for specs in _FIELD_SPECS.values() for name, f in specs.items()}
"""A field's name as a page says it, for a field the record type does not take."""


def _show(value: Any) -> str:
    """A received value as a message quotes it (short, JSON-like)."""
    if isinstance(value, str):
        text = f"“{value}”"
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (dict, list)):
        text = "对象" if isinstance(value, dict) else "数组"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


_known_dates: dict[str, datetime.date] = {}


def parse_date(value: Any) -> tuple[datetime.date | None, str | None]:
    """A YYYY-MM-DD date, or the reason it is not one."""
    known = _known_dates.get(value) if isinstance(value, str) else None
    if known is not None:
        return known, None
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        return None, f"日期格式应为 YYYY-MM-DD，收到 {_show(value)}"
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None, f"不存在的日期 {_show(value)}"
    if len(_known_dates) < 100_000:
        _known_dates[value] = day
    return day, None


def check_uscc(value: Any) -> tuple[str | None, str | None]:
    """统一社会信用代码 (GB 32100-2015): the code in its standard form, or the reason it is invalid."""
    if not isinstance(value, str) or not value.strip():
        return None, f"统一社会信用代码应为18位字符串，收到 {_show(value)}"
    try:
        return stdnum_uscc.validate(value), None
    except InvalidLength:
        return None, f"统一社会信用代码应为18位，收到 {_show(value)}"
    except InvalidChecksum:
        return None, f"统一社会信用代码校验码错误（GB 32100-2015）：{_show(value)}"
    except ValidationError:
        return None, f"统一社会信用代码含有不允许的字符（GB 32100-2015）：{_show(value)}"


def _field_value(spec: Field, value: Any) -> tuple[Any, str | None]:
    if spec.kind == "date":
        return parse_date(value)
    if spec.kind == "case":
        if isinstance(value, str) and value.strip():
            return value.strip(), None
        return None, f"{spec.label}应为非空字符串，收到 {_show(value)}"
    if spec.kind == "text":
        if isinstance(value, str):
            return (value.strip() or None), None
        return None, f"{spec.label}应为字符串，收到 {_show(value)}"
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value, None
        return None, f"{spec.label}应为 true 或 false，收到 {_show(value)}"
    if spec.kind == "level":
        if value in PROVINCIAL_LEVELS:
            return value, None
        return None, f"{spec.label}应为 A、B、C、D 之一，收到 {_show(value)}"
    raise AssertionError(spec.kind)


def record_from_mapping(data: Any, place: str) -> tuple[Record | None, list[Problem]]:
    """One record from its field mapping (`type`, `date`, …), or every problem with it."""
    if not isinstance(data, Mapping):
        return None, [Problem(place, f"信用记录应为对象，收到 {_show(data)}", "record-invalid")]
    raw_type = data.get("type")
    if "type" not in data or raw_type in (None, ""):
        # The place names the field for a program; the message is for the officer.
        return None, [Problem(f"{place}.type", "缺少必填字段：记录类型", "field-missing")]
    record_type = _TYPES.get(raw_type) if isinstance(raw_type, str) else None
    if record_type is None:
        return None, [
            Problem(
                f"{place}.type",
                f"未知的记录类型 {_show(raw_type)}，应为 {_TYPE_NAMES} 之一",
                "type-unknown",
            )
        ]
    problems = []
    specs = _FIELD_SPECS[record_type]
    values: dict[str, Any] = {}
    for name in data:
        if name != "type" and name not in specs:
            label = _FIELD_LABELS.get(name)
            problems.append(
                Problem(
                    f"{place}.{name}",
                    f"“{record_type.label}”记录不填写“{label}”"
                    if label
                    else f"“{record_type.label}”记录没有字段 {name}",
                    "field-unknown",
                )
            )
    for name, spec in specs.items():
        value = data.get(name)
        if value is None:
            if spec.required:
                problems.append(
                    Problem(f"{place}.{name}", f"缺少必填字段：{spec.label}", "field-missing")
                )
            continue
        parsed, message = _field_value(spec, value)
        if message:
            problems.append(Problem(f"{place}.{name}", message, f"{spec.kind}-invalid"))
        else:
            values[name] = parsed
    if problems:
        return None, problems
    return Record(type=record_type, **values), []


def check_record_sequence(records: Iterable[Record], place: str) -> list[Problem]:
    """Problems that only show across an employer's records: a blacklist removal with no
    listing open before it (第十二条(二)), placed at the removal itself."""
    indexed = list(enumerate(records))
    try:
        blacklist_spells(r for _, r in indexed)
    except RecordSequenceError:
        pass
    else:
        return []
    events = sorted(
        (r.date, 0 if r.type is RecordType.BLACKLIST_LISTED else 1, index)
        for index, r in indexed
        if r.type in (RecordType.BLACKLIST_LISTED, RecordType.BLACKLIST_REMOVED)
    )
    listed = False
    problems = []
    for day, kind, index in events:
        if kind == 0:
            listed = True
        elif listed:
            listed = False
        else:
            problems.append(
                Problem(
                    f"{place}[{index}]",
                    f"{day.isoformat()} 移出拖欠农民工工资黑名单，但此前没有对应的列入记录",
                    "blacklist-removal-without-listing",
                )
            )
    return problems


_CASE_NEEDS = {
    RecordType.VIOLATION_CORRECTED: (RecordType.VIOLATION_FOUND,),
    RecordType.PENALTY_IMPOSED: (RecordType.VIOLATION_FOUND,),
    RecordType.PENALTY_FULFILLED: (RecordType.PENALTY_IMPOSED,),
    RecordType.INTERVIEW_HELD: (RecordType.PENALTY_IMPOSED,),
}
"""A case ties its records together: a correction or a penalty follows a violation found,
a fulfilment or an interview (第十七条(三)) follows a penalty."""


CaseRow = tuple[str, RecordType]
"""(case, type) of a record that came in but could not be read (a bad date, a date in the
future, …): its own problem is reported, and the case checks give it the benefit of the doubt
rather than blame the other records of its case for it."""


def case_link_problems(
    records: list[Record], unread: Iterable[CaseRow] = ()
) -> list[tuple[int, str]]:
    """(index, reason) of every record whose case has no record it must follow."""
    by_case: dict[str, set[RecordType]] = {}
    for case, record_type in unread:
        by_case.setdefault(case, set()).add(record_type)
    for r in records:
        if r.case:
            by_case.setdefault(r.case, set()).add(r.type)
    problems = []
    for index, r in enumerate(records):
        needed = _CASE_NEEDS.get(r.type)
        if needed and not by_case.get(r.case or "", set()) & set(needed):
            wanted = "或".join(t.label for t in needed)
            problems.append((index, f"案件 {r.case} 没有“{wanted}”记录，无法登记“{r.type.label}”"))
    return problems


@dataclass(frozen=True, slots=True)
class CaseProblem:
    """A record at odds with the other records of its case: its index, the field at fault,
    a stable code and the reason in Chinese."""

    index: int
    field: str
    code: str
    reason: str


_FOLLOWS: dict[RecordType, tuple[tuple[RecordType, str, str], ...]] = {
    RecordType.VIOLATION_CORRECTED: (
        (RecordType.VIOLATION_FOUND, "纠正日期", "违法行为在被查处之后纠正（第十一条 及时纠正）"),
    ),
    RecordType.PENALTY_IMPOSED: (
        (
            RecordType.VIOLATION_FOUND,
            "行政处罚日期",
            "行政处罚在违法行为被查处之后作出（第十二条(一)）",
        ),
    ),
    RecordType.PENALTY_FULFILLED: (
        (RecordType.PENALTY_IMPOSED, "履行日期", "行政处罚决定作出之后才能履行（第二十一条）"),
        (RecordType.VIOLATION_FOUND, "履行日期", "行政处罚决定作出之后才能履行（第二十一条）"),
    ),
}
"""What a record of a case may not be dated before: the case's first record of each type
listed, checked in order (a fulfilment is held to its penalty first, then to the finding)."""

_WHAT = {RecordType.VIOLATION_FOUND: "查处日期", RecordType.PENALTY_IMPOSED: "行政处罚日期"}

_ONCE = (RecordType.VIOLATION_CORRECTED, RecordType.PENALTY_FULFILLED)
"""第二十一条 asks whether a case has been corrected and its penalty fulfilled: each happens
once, and a wrong date is put right by correcting the record (第七条), not by adding another."""


def case_order_problems(records: list[Record], unread: Iterable[CaseRow] = ()) -> list[CaseProblem]:
    """Records dated impossibly within their case, and a second correction or fulfilment.

    A correction deadline before the finding; a correction, penalty or fulfilment dated before
    the case's violation was found; a fulfilment before its penalty. Each is reported at the
    later record, naming both dates; of two corrections (or fulfilments) of one case, at the one
    further down the list.
    """
    unread_types: dict[str, set[RecordType]] = {}
    for case, record_type in unread:
        unread_types.setdefault(case, set()).add(record_type)
    first: dict[tuple[str, RecordType], datetime.date] = {}
    for r in records:
        if r.case and r.type in _WHAT:
            key = (r.case, r.type)
            if key not in first or r.date < first[key]:
                first[key] = r.date
    problems = []
    seen_once: dict[tuple[str, RecordType], datetime.date] = {}
    for index, r in enumerate(records):
        if r.type is RecordType.VIOLATION_FOUND:
            if r.correction_deadline is not None and r.correction_deadline < r.date:
                problems.append(
                    CaseProblem(
                        index,
                        "correction_deadline",
                        "date-order",
                        f"整改期限 {r.correction_deadline.isoformat()} 早于查处日期 "
                        f"{r.date.isoformat()}（案件 {r.case}）；整改期限应在查处之后"
                        "（第十一条 及时纠正）",
                    )
                )
            continue
        case = r.case or ""
        for earlier_type, label, why in _FOLLOWS.get(r.type, ()):
            if earlier_type in unread_types.get(case, ()):
                break  # that record's own problem comes first; its date is not known
            earlier = first.get((case, earlier_type))
            if earlier is not None and r.date < earlier:
                problems.append(
                    CaseProblem(
                        index,
                        "date",
                        "date-order",
                        f"{label} {r.date.isoformat()} 早于案件 {case} 的{_WHAT[earlier_type]} "
                        f"{earlier.isoformat()}；{why}",
                    )
                )
                break
        if r.type in _ONCE:
            key = (case, r.type)
            if key in seen_once:
                problems.append(
                    CaseProblem(
                        index,
                        "case",
                        "case-duplicate",
                        f"案件 {case} 已有“{r.type.label}”记录（{seen_once[key].isoformat()}），"
                        f"同一案件只登记一次；日期有误的，请更正原记录",
                    )
                )
            else:
                seen_once[key] = r.date
    return problems


def case_problems(records: list[Record], unread: Iterable[CaseRow] = ()) -> list[CaseProblem]:
    """Every problem between the records of a case: a missing record it must follow
    (`case-unknown`), an impossible date order, a second correction or fulfilment."""
    unread = list(unread)
    return [
        CaseProblem(index, "case", "case-unknown", reason)
        for index, reason in case_link_problems(records, unread)
    ] + case_order_problems(records, unread)
