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
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TYPES = {t.value: t for t in RecordType}
_TYPE_NAMES = "、".join(t.value for t in RecordType)


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


def parse_date(value: Any) -> tuple[datetime.date | None, str | None]:
    """A YYYY-MM-DD date, or the reason it is not one."""
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        return None, f"日期格式应为 YYYY-MM-DD，收到 {_show(value)}"
    try:
        return datetime.date.fromisoformat(value), None
    except ValueError:
        return None, f"不存在的日期 {_show(value)}"


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
        return None, [Problem(place, f"信用记录应为对象，收到 {_show(data)}")]
    raw_type = data.get("type")
    if "type" not in data:
        return None, [Problem(f"{place}.type", "缺少必填字段 type（记录类型）")]
    record_type = _TYPES.get(raw_type) if isinstance(raw_type, str) else None
    if record_type is None:
        return None, [
            Problem(f"{place}.type", f"未知的记录类型 {_show(raw_type)}，应为 {_TYPE_NAMES} 之一")
        ]
    problems = []
    specs = {f.name: f for f in record_type.fields}
    values: dict[str, Any] = {}
    for name in data:
        if name != "type" and name not in specs:
            problems.append(
                Problem(f"{place}.{name}", f"记录类型 {record_type.value} 没有字段 {name}")
            )
    for name, spec in specs.items():
        value = data.get(name)
        if value is None:
            if spec.required:
                problems.append(Problem(f"{place}.{name}", f"缺少必填字段 {name}（{spec.label}）"))
            continue
        parsed, message = _field_value(spec, value)
        if message:
            problems.append(Problem(f"{place}.{name}", message))
        else:
            values[name] = parsed
    if problems:
        return None, problems
    return Record(type=record_type, **values), []


def check_record_sequence(records: Iterable[Record], place: str) -> list[Problem]:
    """Problems that only show across an employer's records (a removal with no listing)."""
    try:
        blacklist_spells(records)
    except RecordSequenceError as error:
        return [Problem(place, str(error))]
    return []
