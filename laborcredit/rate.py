"""`laborcredit rate`: grade employers given as JSON, with no database.

The document and its answers are described in shared/spec/grading.md. Every
problem in the input is reported with its place; when there is any, nothing
is graded, so the output is all or nothing.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from typing import Any

from laborcredit.rules import NotInForce, grade, parameters_on
from laborcredit.rules.validation import (
    Problem,
    check_record_sequence,
    check_uscc,
    parse_date,
    record_from_mapping,
)

ROOT = "输入"

_JSON_MESSAGES = (
    ("Expecting value", "此处应为一个值"),
    ("Expecting property name enclosed in double quotes", "此处应为双引号括起的字段名"),
    ("Expecting ',' delimiter", "此处缺少逗号"),
    ("Expecting ':' delimiter", "此处缺少冒号"),
    ("Unterminated string starting at", "字符串没有结束"),
    ("Extra data", "JSON 结束后还有多余内容"),
    ("Invalid control character at", "字符串中有非法的控制字符"),
    ("Invalid \\escape", "非法的转义序列"),
    ("Invalid \\uXXXX escape", "非法的 \\u 转义序列"),
)

_EMPLOYER_FIELDS = {"uscc", "name", "records"}


class RateInputError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _json_problem(error: json.JSONDecodeError) -> Problem:
    message = next((zh for en, zh in _JSON_MESSAGES if error.msg.startswith(en)), "语法错误")
    return Problem(ROOT, f"不是合法的 JSON：第{error.lineno}行第{error.colno}列，{message}")


def parse_as_of(text: str) -> datetime.date:
    """The evaluation date, checked against the 办法's effective date (第二十二条)."""
    as_of, message = parse_date(text)
    if as_of is None:
        raise RateInputError([Problem("--as-of", message or "")])
    try:
        parameters_on(as_of)
    except NotInForce as error:
        raise RateInputError([Problem("--as-of", str(error))]) from None
    return as_of


def decode(raw: bytes) -> Any:
    if not raw.strip():
        raise RateInputError([Problem(ROOT, '输入为空，应为 JSON 对象 {"employers": [...]}')])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RateInputError(
            [Problem(ROOT, f"不是 UTF-8 编码的文本（第 {error.start + 1} 个字节处）")]
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RateInputError([_json_problem(error)]) from None
    except RecursionError:
        raise RateInputError([Problem(ROOT, "JSON 嵌套层次过深")]) from None
    except ValueError:
        # Python refuses integers of more than 4300 digits (CVE-2020-10735).
        raise RateInputError([Problem(ROOT, "不是合法的 JSON：数字的位数过多")]) from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            problems = list(_lone_surrogates(document, ""))
        except RecursionError:
            problems = [Problem(ROOT, "JSON 嵌套层次过深")]
        if problems:
            raise RateInputError(problems)
    return document


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogates(value: Any, place: str) -> Iterator[Problem]:
    """Strings holding a \\uD800–\\uDFFF escape with no pair: JSON allows them, UTF-8 cannot carry them."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            yield Problem(
                place or ROOT, "含有不成对的 Unicode 代理项（\\uD800–\\uDFFF），不是有效的文本"
            )
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _lone_surrogates(item, f"{place}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _lone_surrogates(key, place)
            yield from _lone_surrogates(item, f"{place}.{key}" if place else key)


def read_employers(document: Any) -> list[tuple[str, list]]:
    """Every employer's code and records, or RateInputError naming every problem."""
    if not isinstance(document, dict):
        raise RateInputError([Problem(ROOT, '应为 JSON 对象 {"employers": [...]}')])
    problems: list[Problem] = [
        Problem(key, f"未知字段 {key}，顶层只允许 employers")
        for key in document
        if key != "employers"
    ]
    employers = document.get("employers")
    if not isinstance(employers, list):
        what = "缺少必填字段 employers" if "employers" not in document else "employers 应为数组"
        raise RateInputError([*problems, Problem("employers", what)])

    seen: dict[str, int] = {}
    result = []
    for index, employer in enumerate(employers):
        place = f"employers[{index}]"
        if not isinstance(employer, dict):
            problems.append(Problem(place, "用人单位应为对象，含 uscc、name、records"))
            continue
        for key in employer:
            if key not in _EMPLOYER_FIELDS:
                problems.append(
                    Problem(f"{place}.{key}", f"未知字段 {key}，应为 uscc、name、records")
                )
        uscc, message = (
            check_uscc(employer["uscc"])
            if "uscc" in employer
            else (None, "缺少必填字段 uscc（统一社会信用代码）")
        )
        if message:
            problems.append(Problem(f"{place}.uscc", message))
        elif uscc in seen:
            problems.append(
                Problem(f"{place}.uscc", f"用人单位 {uscc} 重复，已出现在 employers[{seen[uscc]}]")
            )
        else:
            seen[uscc] = index  # type: ignore[index]
        name = employer.get("name")
        if name is not None and not isinstance(name, str):
            problems.append(Problem(f"{place}.name", "单位名称应为字符串"))
        raw_records = employer.get("records")
        if not isinstance(raw_records, list):
            what = "缺少必填字段 records" if "records" not in employer else "records 应为数组"
            problems.append(Problem(f"{place}.records", what))
            continue
        records = []
        for r_index, raw in enumerate(raw_records):
            record, record_problems = record_from_mapping(raw, f"{place}.records[{r_index}]")
            if record_problems:
                problems.extend(record_problems)
            else:
                records.append(record)
        if len(records) == len(raw_records):
            problems.extend(check_record_sequence(records, f"{place}.records"))
        result.append((uscc, records))
    if problems:
        raise RateInputError(problems)
    return result


def rate_document(
    raw: bytes, as_of: datetime.date, *, provincial_policy: str | None = None
) -> dict:
    """The `rate` answer for a JSON document given as bytes."""
    employers = read_employers(decode(raw))
    return {
        "as_of": as_of.isoformat(),
        "results": [
            {"uscc": uscc, **grade(records, as_of, provincial_policy=provincial_policy).as_dict()}
            for uscc, records in employers
        ],
    }


_PROBLEM_LINE = re.compile(r"[\r\n]+")


def problem_lines(problems: list[Problem]) -> list[str]:
    """One line per problem, whatever the input's strings hold."""
    return [_PROBLEM_LINE.sub(" ", str(p)) for p in problems]
