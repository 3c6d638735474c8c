"""`laborcredit rate`: JSON in, JSON out, and every bad input refused with its place.

A handful of tests run the real command as a subprocess (file, standard
input, help, encodings, broken pipe); the many bad-input cases call
`laborcredit.cli.main` in-process, which is the same code without the start-up.
See shared/spec/grading.md, "The `rate` command".
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from stdnum.cn.uscc import calc_check_digit

from laborcredit.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "employers.json"
AS_OF = "2026-11-24"
CJK = re.compile(r"[\u4e00-\u9fff]")

# Valid codes (GB 32100-2015 check character), in no particular order.
USCC_1 = "91410481MA9K3L5T2J"
USCC_2 = "91410481MA47Q8R0XT"
USCC_3 = "91410481317495821P"
USCC_4 = "92410481MA9G7H1N5F"


def uscc(serial: int) -> str:
    """A valid code for a made-up employer of 舞钢市 (410481)."""
    first17 = f"91410481MA{serial:07d}"
    return first17 + calc_check_digit(first17)


def employer(code: str, *records: dict, **fields: object) -> dict:
    return {"uscc": code, "name": "舞钢市某某有限公司", "records": list(records), **fields}


def record(type_: str, date: str, **fields: object) -> dict:
    return {"type": type_, "date": date, **fields}


def document(*employers: dict) -> dict:
    return {"employers": list(employers)}


@dataclass
class Outcome:
    status: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()

    def answer(self) -> dict:
        assert self.status == 0, self.err
        return json.loads(self.out)


def rate(
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: bytes | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> Outcome:
    """`laborcredit rate ARGS` in-process; argparse's exits count as the status."""
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    try:
        status = main(["rate", *args])
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return Outcome(status, captured.out, captured.err)


def rate_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: object, *args: str
) -> Outcome:
    """Rate `content` (bytes as they are, anything else as JSON) given as a file."""
    path = tmp_path / "employers.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return rate(capsys, *args or ("--as-of", AS_OF), str(path))


def run_command(*args: str, stdin: bytes | None = None, env: dict | None = None):
    """The real `laborcredit` console script as a subprocess."""
    command = Path(sys.executable).with_name("laborcredit")
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "laborcredit.cli"]
    return subprocess.run(
        [*argv, *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def assert_refused(outcome: Outcome, *places: str) -> None:
    """Exit 2, nothing graded, and one Chinese line per problem, each starting with its place."""
    assert "Traceback" not in outcome.err
    assert outcome.status == 2, outcome.err
    assert outcome.out == ""
    lines = outcome.err_lines
    assert len(lines) == len(places), outcome.err
    for line, place in zip(lines, places, strict=True):
        assert line.startswith(f"{place}: "), (line, place)
        assert CJK.search(line.removeprefix(f"{place}: ")), line


def assert_usage_error(outcome: Outcome) -> None:
    """argparse's refusal: usage and a Chinese message on standard error, exit 2."""
    assert "Traceback" not in outcome.err
    assert outcome.status == 2
    assert outcome.out == ""
    last = outcome.err_lines[-1]
    assert last.startswith("laborcredit rate：")
    assert CJK.search(last.removeprefix("laborcredit rate：")), last
    assert outcome.err.startswith("用法：")


# --- End to end, as a subprocess -------------------------------------------------------


def test_the_example_file_is_graded_b_c_a_plus_and_a_in_input_order():
    done = run_command("rate", "--as-of", AS_OF, str(EXAMPLE))

    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    answer = json.loads(done.stdout.decode("utf-8"))
    assert answer["as_of"] == AS_OF
    assert [(r["uscc"], r["grade"]) for r in answer["results"]] == [
        (USCC_1, "B"),
        (USCC_2, "C"),
        (USCC_3, "A+"),
        (USCC_4, "A"),
    ]


def test_every_result_has_the_fields_of_the_spec():
    done = run_command("rate", "--as-of", AS_OF, str(EXAMPLE))

    for result in json.loads(done.stdout)["results"]:
        assert set(result) == {"uscc", "grade", "needs_review", "provincial_level", "basis"}
        assert isinstance(result["needs_review"], bool)
        assert result["basis"], result
        for entry in result["basis"]:
            assert set(entry) == {"article", "rule", "reason"}
            assert entry["article"].startswith("第")
            assert CJK.search(entry["reason"])


def test_standard_input_is_read_when_the_file_is_a_dash():
    from_file = run_command("rate", "--as-of", AS_OF, str(EXAMPLE))
    from_stdin = run_command("rate", "--as-of", AS_OF, "-", stdin=EXAMPLE.read_bytes())

    assert from_stdin.returncode == 0, from_stdin.stderr.decode()
    assert from_stdin.stdout == from_file.stdout


def test_results_come_in_input_order_not_sorted_by_code():
    serials = [37, 2, 99, 15, 64, 1, 80, 23, 51, 8]
    codes = [uscc(serial) for serial in serials]
    raw = json.dumps(document(*(employer(code) for code in codes))).encode()

    done = run_command("rate", "--as-of", AS_OF, "-", stdin=raw)

    assert [r["uscc"] for r in json.loads(done.stdout)["results"]] == codes


def test_the_evaluation_date_is_echoed_as_given():
    done = run_command("rate", "--as-of", "2024-02-29", str(EXAMPLE))

    assert json.loads(done.stdout)["as_of"] == "2024-02-29"


def test_bad_input_as_a_subprocess_exits_2_with_nothing_on_standard_output():
    raw = json.dumps(document(employer("91410481MA9K3L5T2X"))).encode()

    done = run_command("rate", "--as-of", AS_OF, "-", stdin=raw)

    assert done.returncode == 2
    assert done.stdout == b""
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert err.startswith("employers[0].uscc: ")
    assert len(err.splitlines()) == 1


def test_rate_needs_no_database_and_does_not_start_django():
    env = {"DJANGO_SETTINGS_MODULE": "no.such.settings", "DATABASE_URL": "postgres://nowhere/x"}

    done = run_command("rate", "--as-of", AS_OF, str(EXAMPLE), env=env)

    assert done.returncode == 0, done.stderr.decode()
    assert len(json.loads(done.stdout)["results"]) == 4


def test_the_answer_is_utf8_json_even_on_a_gbk_terminal():
    raw = json.dumps(
        document(
            employer(
                USCC_1,
                record("violation_found", "2026-03-01", case="舞人社监〔2026〕12号😀"),
                record("violation_corrected", "2026-03-20", case="舞人社监〔2026〕12号😀"),
            )
        ),
        ensure_ascii=False,
    ).encode()

    done = run_command("rate", "--as-of", AS_OF, "-", stdin=raw, env={"PYTHONIOENCODING": "gbk"})

    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    answer = json.loads(done.stdout.decode("utf-8"))
    assert "😀" in answer["results"][0]["basis"][0]["reason"]


def test_a_reader_that_goes_away_early_is_no_error():
    raw = json.dumps(document(*(employer(uscc(n)) for n in range(3000)))).encode()
    command = Path(sys.executable).with_name("laborcredit")
    with subprocess.Popen(
        [str(command), "rate", "--as-of", AS_OF, "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(raw)
        process.stdin.close()
        first = process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode() if process.stderr else ""
        status = process.wait(timeout=60)

    assert first.startswith(b'{"as_of": ')
    assert "Traceback" not in err
    assert status == 0


def test_laborcredit_help_is_chinese_and_exits_0():
    done = run_command("--help")

    assert done.returncode == 0
    text = done.stdout.decode("utf-8")
    assert text.startswith("用法：laborcredit")
    assert "rate --as-of" in text
    assert CJK.search(text)


def test_laborcredit_rate_help_is_chinese_and_exits_0():
    done = run_command("rate", "--help")

    assert done.returncode == 0
    text = done.stdout.decode("utf-8")
    assert text.startswith("用法：laborcredit rate")
    for heading in ("参数", "选项", "评价日期", "显示本帮助并退出"):
        assert heading in text
    assert "usage:" not in text
    assert "options:" not in text


# --- Good input, in-process ---------------------------------------------------------------


def test_an_empty_list_of_employers_gives_an_empty_list_of_results(capsys, tmp_path):
    answer = rate_file(capsys, tmp_path, document()).answer()

    assert answer == {"as_of": AS_OF, "results": []}


def test_the_effective_date_of_the_banfa_is_a_valid_evaluation_date(capsys, tmp_path):
    answer = rate_file(
        capsys, tmp_path, document(employer(USCC_1)), "--as-of", "2022-12-15"
    ).answer()

    assert answer["results"][0]["grade"] == "A"


def test_a_utf8_byte_order_mark_is_accepted(capsys, tmp_path):
    raw = b"\xef\xbb\xbf" + EXAMPLE.read_bytes()

    answer = rate_file(capsys, tmp_path, raw).answer()

    assert [r["grade"] for r in answer["results"]] == ["B", "C", "A+", "A"]


def test_the_code_is_given_back_in_its_standard_form(capsys, tmp_path):
    answer = rate_file(capsys, tmp_path, document(employer(" 91410481ma9k3l5t2j "))).answer()

    assert answer["results"][0]["uscc"] == USCC_1


def test_the_answer_has_one_result_a_line(capsys, tmp_path):
    outcome = rate_file(capsys, tmp_path, document(*(employer(uscc(n)) for n in range(5))))

    lines = outcome.out.splitlines()
    assert len(lines) == 2 + 5 + 1
    for line in lines[2:-1]:
        assert json.loads(line.strip().rstrip(","))["grade"] == "A"


def provincial_d_employer() -> dict:
    """An A (第十条) whose latest provincial result (第八条) is D."""
    return employer(USCC_1, record("provincial_credit", "2026-01-01", level="D"))


def test_a_provincial_d_only_flags_an_a_by_default(capsys, tmp_path):
    result = rate_file(capsys, tmp_path, document(provincial_d_employer())).answer()["results"][0]

    assert result["grade"] == "A"
    assert result["needs_review"] is True
    assert result["provincial_level"] == "D"
    assert "provincial_low_flag" in [entry["rule"] for entry in result["basis"]]


def test_provincial_policy_cap_turns_a_d_flagged_a_into_b(capsys, tmp_path):
    outcome = rate_file(
        capsys,
        tmp_path,
        document(provincial_d_employer()),
        "--as-of",
        AS_OF,
        "--provincial-policy",
        "cap",
    )

    result = outcome.answer()["results"][0]
    assert result["grade"] == "B"
    assert result["needs_review"] is False
    assert [e["article"] for e in result["basis"] if e["rule"] == "provincial_low_cap"] == [
        "第八条"
    ]


def test_the_provincial_policy_can_come_from_the_environment(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("LABORCREDIT_PROVINCIAL_POLICY", "cap")

    result = rate_file(capsys, tmp_path, document(provincial_d_employer())).answer()["results"][0]

    assert result["grade"] == "B"


def test_the_command_line_policy_wins_over_the_environment(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("LABORCREDIT_PROVINCIAL_POLICY", "cap")

    outcome = rate_file(
        capsys,
        tmp_path,
        document(provincial_d_employer()),
        "--as-of",
        AS_OF,
        "--provincial-policy",
        "flag",
    )

    assert outcome.answer()["results"][0]["grade"] == "A"


def test_stdin_in_process_is_read_as_bytes(capsys, monkeypatch):
    outcome = rate(
        capsys, "--as-of", AS_OF, "-", stdin=EXAMPLE.read_bytes(), monkeypatch=monkeypatch
    )

    assert len(outcome.answer()["results"]) == 4


# --- The command line itself ------------------------------------------------------------


def test_a_missing_as_of_is_refused_in_chinese(capsys):
    outcome = rate(capsys, str(EXAMPLE))

    assert_usage_error(outcome)
    assert "--as-of" in outcome.err_lines[-1]


def test_an_as_of_without_a_value_is_refused_in_chinese(capsys):
    assert_usage_error(rate(capsys, "--as-of"))


def test_a_missing_file_argument_is_refused_in_chinese(capsys):
    assert_usage_error(rate(capsys, "--as-of", AS_OF))


@pytest.mark.parametrize(
    "as_of", ["24/11/2026", "2026-11-4", "20261124", "2026-13-01", "2026-02-29", ""]
)
def test_a_malformed_as_of_names_the_option(capsys, as_of):
    assert_refused(rate(capsys, "--as-of", as_of, str(EXAMPLE)), "--as-of")


def test_an_as_of_before_the_effective_date_of_the_banfa_is_refused(capsys):
    outcome = rate(capsys, "--as-of", "2022-12-14", str(EXAMPLE))

    assert_refused(outcome, "--as-of")
    assert "2022-12-15" in outcome.err
    assert "第二十二条" in outcome.err


def test_an_unknown_option_is_refused_in_chinese(capsys):
    outcome = rate(capsys, "--as-of", AS_OF, "--verbose", str(EXAMPLE))

    assert_usage_error(outcome)
    assert "--verbose" in outcome.err_lines[-1]


def test_an_unknown_provincial_policy_is_refused_in_chinese(capsys):
    assert_usage_error(
        rate(capsys, "--as-of", AS_OF, "--provincial-policy", "ignore", str(EXAMPLE))
    )


def test_an_unknown_provincial_policy_in_the_environment_is_refused_in_chinese(capsys, monkeypatch):
    monkeypatch.setenv("LABORCREDIT_PROVINCIAL_POLICY", "ignore")

    outcome = rate(capsys, "--as-of", AS_OF, str(EXAMPLE))

    assert_usage_error(outcome)
    assert "LABORCREDIT_PROVINCIAL_POLICY" in outcome.err_lines[-1]


def test_laborcredit_without_a_command_prints_its_usage(capsys):
    assert main([]) == 0

    out = capsys.readouterr().out
    assert out.startswith("用法：laborcredit")


def test_a_file_that_does_not_exist_names_the_file(capsys, tmp_path):
    path = str(tmp_path / "nowhere.json")

    outcome = rate(capsys, "--as-of", AS_OF, path)

    assert_refused(outcome, path)
    assert "不存在" in outcome.err


def test_a_directory_instead_of_a_file_names_the_directory(capsys, tmp_path):
    outcome = rate(capsys, "--as-of", AS_OF, str(tmp_path))

    assert_refused(outcome, str(tmp_path))
    assert "目录" in outcome.err


# --- Malformed JSON ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"employers": [', id="truncated"),
        pytest.param(EXAMPLE.read_bytes()[:-40], id="truncated-example"),
        pytest.param(b'{"employers": [],}', id="trailing-comma-in-object"),
        pytest.param(
            b'{"employers": [{"uscc": "91410481MA9K3L5T2J", "records": [],},]}',
            id="trailing-comma-in-list",
        ),
        pytest.param(b"{'employers': []}", id="single-quotes"),
        pytest.param(b'{"employers": []} {}', id="extra-data"),
        pytest.param('{"employers": []}'.encode("utf-16"), id="utf-16"),
        pytest.param('{"employers": [{"name": "舞钢市"}]}'.encode("gbk"), id="gbk"),
        pytest.param(b"\xff\xfe\x00", id="binary"),
        pytest.param(b"", id="empty"),
        pytest.param(b" \n\t\n", id="only-whitespace"),
        pytest.param(b"[]", id="top-level-list"),
        pytest.param(b'"employers"', id="top-level-string"),
        pytest.param(b"null", id="top-level-null"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-too-deep"),
        pytest.param(b'{"employers": [], "n": 1' + b"0" * 5000 + b"}", id="integer-too-long"),
    ],
)
def test_malformed_json_is_one_problem_at_the_input(capsys, tmp_path, raw):
    assert_refused(rate_file(capsys, tmp_path, raw), "输入")


def test_malformed_json_names_its_line_and_column(capsys, tmp_path):
    outcome = rate_file(capsys, tmp_path, b'{"employers": [\n  {"uscc": "x",,}\n]}')

    assert_refused(outcome, "输入")
    assert "第2行第16列" in outcome.err


def test_malformed_json_on_standard_input_is_refused_the_same_way(capsys, monkeypatch):
    outcome = rate(capsys, "--as-of", AS_OF, "-", stdin=b'{"employers": [', monkeypatch=monkeypatch)

    assert_refused(outcome, "输入")


@pytest.mark.parametrize("employers", [{}, "all", None, 3])
def test_employers_that_are_not_a_list_are_refused(capsys, tmp_path, employers):
    assert_refused(rate_file(capsys, tmp_path, {"employers": employers}), "employers")


def test_a_document_without_employers_is_refused(capsys, tmp_path):
    assert_refused(rate_file(capsys, tmp_path, {}), "employers")


def test_an_unknown_top_level_field_names_the_field(capsys, tmp_path):
    assert_refused(rate_file(capsys, tmp_path, {"employers": [], "as_of": AS_OF}), "as_of")


def test_a_lone_surrogate_escape_names_the_string_that_holds_it(capsys, tmp_path):
    doc = document(employer(USCC_1, record("violation_found", "2026-03-01", case="SURROGATE")))
    raw = json.dumps(doc).replace('"SURROGATE"', '"\\ud800"').encode()

    assert_refused(rate_file(capsys, tmp_path, raw), "employers[0].records[0].case")


def test_a_surrogate_pair_escape_is_an_ordinary_character(capsys, tmp_path):
    doc = document(employer(USCC_1, name="EMOJI"))
    raw = json.dumps(doc).replace('"EMOJI"', '"\\ud83d\\ude00"').encode()

    assert rate_file(capsys, tmp_path, raw).answer()["results"][0]["grade"] == "A"


# --- The employer -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("91410481MA9K3L5T2X", id="wrong-check-character"),
        pytest.param("91410481MA9K3L5T2", id="17-characters"),
        pytest.param("91410481MA9K3L5T2JJ", id="19-characters"),
        pytest.param("91410481MA9K3L5I2J", id="letter-I-not-allowed"),
        pytest.param("9141048IMA9K3L5T2J", id="letter-in-division-code"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param(91410481, id="a-number"),
        pytest.param(None, id="null"),
        pytest.param(["91410481MA9K3L5T2J"], id="a-list"),
    ],
)
def test_an_invalid_uscc_names_the_employers_code(capsys, tmp_path, code):
    doc = document(employer(USCC_2), employer(code))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[1].uscc")


def test_a_missing_uscc_names_the_employers_code(capsys, tmp_path):
    doc = document({"name": "舞钢市某某有限公司", "records": []})

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].uscc")


def test_a_duplicate_employer_names_the_second_and_points_to_the_first(capsys, tmp_path):
    doc = document(employer(USCC_1), employer(USCC_2), employer(USCC_1))

    outcome = rate_file(capsys, tmp_path, doc)

    assert_refused(outcome, "employers[2].uscc")
    assert "employers[0]" in outcome.err


def test_the_same_code_written_differently_is_a_duplicate_employer(capsys, tmp_path):
    doc = document(employer(USCC_1), employer(USCC_1.lower()))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[1].uscc")


def test_an_unknown_employer_field_names_the_field(capsys, tmp_path):
    doc = document(employer(USCC_1, address="舞钢市垭口街道"))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].address")


def test_a_name_that_is_not_text_names_the_name(capsys, tmp_path):
    doc = document(employer(USCC_1, name=42))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].name")


def test_an_employer_that_is_not_an_object_names_the_employer(capsys, tmp_path):
    doc = document(employer(USCC_1), USCC_2)

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[1]")


@pytest.mark.parametrize("records", [None, {}, "[]"])
def test_records_that_are_not_a_list_name_the_records(capsys, tmp_path, records):
    doc = document({"uscc": USCC_1, "records": records})

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records")


def test_missing_records_name_the_records(capsys, tmp_path):
    assert_refused(rate_file(capsys, tmp_path, document({"uscc": USCC_1})), "employers[0].records")


# --- The records ------------------------------------------------------------------------


def test_an_unknown_record_type_names_the_records_type(capsys, tmp_path):
    doc = document(
        employer(
            USCC_1,
            record("harmonious_certified", "2024-01-01"),
            record("commendation", "2024-05-01"),
        )
    )

    outcome = rate_file(capsys, tmp_path, doc)

    assert_refused(outcome, "employers[0].records[1].type")
    assert "commendation" in outcome.err


@pytest.mark.parametrize("type_", [None, 3, "", "VIOLATION_FOUND"])
def test_a_record_type_that_is_no_name_of_a_type_names_the_type(capsys, tmp_path, type_):
    doc = document(employer(USCC_1, {"type": type_, "date": "2026-01-01"}))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[0].type")


def test_a_record_without_a_type_names_the_type(capsys, tmp_path):
    doc = document(employer(USCC_1, {"date": "2026-01-01"}))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[0].type")


def test_an_unknown_record_field_names_the_field(capsys, tmp_path):
    doc = document(employer(USCC_1, record("blacklist_listed", "2026-01-01", case="x")))

    outcome = rate_file(capsys, tmp_path, doc)

    assert_refused(outcome, "employers[0].records[0].case")
    assert "“列入拖欠农民工工资黑名单”记录不填写“案件编号”" in outcome.err


def test_a_record_that_is_not_an_object_names_the_record(capsys, tmp_path):
    doc = document(employer(USCC_1, record("harmonious_certified", "2024-01-01"), "2024-05-01"))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[1]")


@pytest.mark.parametrize(
    ("type_", "fields", "missing"),
    [
        ("harmonious_certified", {}, "date"),
        ("labor_practice_assessed", {"date": "2026-01-01"}, "passed"),
        ("provincial_credit", {"date": "2026-01-01"}, "level"),
        ("violation_found", {"case": "舞人社监〔2026〕1号"}, "date"),
    ],
)
def test_a_missing_field_names_the_field(capsys, tmp_path, type_, fields, missing):
    doc = document(employer(USCC_1, {"type": type_, **fields}))

    outcome = rate_file(capsys, tmp_path, doc)

    assert_refused(outcome, f"employers[0].records[0].{missing}")
    assert missing in outcome.err


def test_a_null_required_field_counts_as_missing(capsys, tmp_path):
    doc = document(employer(USCC_1, record("labor_practice_assessed", "2026-01-01", passed=None)))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[0].passed")


@pytest.mark.parametrize(
    "date",
    [
        pytest.param("2026-02-30", id="no-such-day"),
        pytest.param("2026-13-01", id="no-such-month"),
        pytest.param("2026/03/01", id="slashes"),
        pytest.param("2026-3-1", id="no-leading-zeros"),
        pytest.param("2026-03-01T00:00:00", id="a-timestamp"),
        pytest.param(" 2026-03-01", id="leading-space"),
        pytest.param("2026年3月1日", id="chinese"),
        pytest.param(20260301, id="a-number"),
        pytest.param(True, id="a-boolean"),
        pytest.param("", id="empty"),
    ],
)
def test_a_bad_date_names_the_records_date(capsys, tmp_path, date):
    doc = document(
        employer(USCC_1),
        employer(
            USCC_2, record("blacklist_listed", "2025-01-01"), record("blacklist_removed", date)
        ),
    )

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[1].records[1].date")


def test_a_bad_correction_deadline_names_the_deadline(capsys, tmp_path):
    doc = document(
        employer(
            USCC_1,
            record(
                "violation_found",
                "2026-03-01",
                case="舞人社监〔2026〕12号",
                correction_deadline="2026-04-31",
            ),
        )
    )

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[0].correction_deadline")


@pytest.mark.parametrize(
    "type_",
    [
        "violation_found",
        "violation_corrected",
        "penalty_imposed",
        "penalty_fulfilled",
        "arbitration_lost",
    ],
)
def test_a_record_of_a_case_bound_type_without_case_names_the_records_case(capsys, tmp_path, type_):
    doc = document(employer(USCC_2), employer(USCC_1, record(type_, "2026-03-01")))

    outcome = rate_file(capsys, tmp_path, doc)

    assert_refused(outcome, "employers[1].records[0].case")


@pytest.mark.parametrize("case", ["", "   ", 12, None])
def test_a_case_that_is_not_a_non_empty_string_names_the_case(capsys, tmp_path, case):
    doc = document(employer(USCC_1, record("penalty_imposed", "2026-03-01", case=case)))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[0].case")


@pytest.mark.parametrize("passed", ["true", 1, 0, "是"])
def test_an_assessment_result_that_is_not_a_boolean_names_passed(capsys, tmp_path, passed):
    doc = document(employer(USCC_1, record("labor_practice_assessed", "2026-03-01", passed=passed)))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[0].passed")


@pytest.mark.parametrize("level", ["E", "a", "A+", "", 1])
def test_a_provincial_level_outside_a_to_d_names_the_level(capsys, tmp_path, level):
    doc = document(employer(USCC_1, record("provincial_credit", "2026-03-01", level=level)))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[0].level")


def test_a_removal_without_a_listing_names_the_removals_place(capsys, tmp_path):
    doc = document(
        employer(USCC_2),
        employer(
            USCC_1,
            record("harmonious_certified", "2024-01-01"),
            record("blacklist_removed", "2026-03-01"),
        ),
    )

    outcome = rate_file(capsys, tmp_path, doc)

    assert_refused(outcome, "employers[1].records[1]")
    assert "2026-03-01" in outcome.err


def test_a_removal_dated_before_its_listing_is_a_removal_without_a_listing(capsys, tmp_path):
    doc = document(
        employer(
            USCC_1,
            record("blacklist_listed", "2026-03-01"),
            record("blacklist_removed", "2026-02-01"),
        )
    )

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[1]")


def test_a_removal_on_the_day_of_its_listing_is_accepted(capsys, tmp_path):
    doc = document(
        employer(
            USCC_1,
            record("blacklist_removed", "2026-03-01"),
            record("blacklist_listed", "2026-03-01"),
        )
    )

    assert rate_file(capsys, tmp_path, doc).answer()["results"][0]["grade"] == "C"


def test_a_removal_after_the_evaluation_date_still_needs_a_listing(capsys, tmp_path):
    doc = document(employer(USCC_1, record("blacklist_removed", "2027-03-01")))

    assert_refused(rate_file(capsys, tmp_path, doc), "employers[0].records[0]")


# --- Several problems at once -----------------------------------------------------------


def test_every_problem_in_a_file_is_reported_in_order_and_nothing_is_graded(capsys, tmp_path):
    doc = {
        "employers": [
            employer(USCC_1, record("violation_found", "2026-02-30")),
            employer(USCC_2),
            employer("91410481MA9K3L5T2X", record("commendation", "2026-01-01")),
            employer(USCC_3, record("blacklist_removed", "2026-01-01")),
            employer(USCC_2, record("provincial_credit", "2026-01-01", level="E")),
            "not an employer",
        ],
        "version": 2,
    }

    outcome = rate_file(capsys, tmp_path, doc)

    assert_refused(
        outcome,
        "version",
        "employers[0].records[0].date",
        "employers[0].records[0].case",
        "employers[2].uscc",
        "employers[2].records[0].type",
        "employers[3].records[0]",
        "employers[4].uscc",
        "employers[4].records[0].level",
        "employers[5]",
    )


def test_one_bad_employer_among_many_good_ones_stops_the_whole_file(capsys, tmp_path):
    good = [employer(uscc(n)) for n in range(50)]
    bad = employer(uscc(50), record("penalty_imposed", "2026-01-01"))

    outcome = rate_file(capsys, tmp_path, document(*good, bad))

    assert_refused(outcome, "employers[50].records[0].case")


def test_a_field_name_with_a_line_break_stays_on_one_line(capsys, tmp_path):
    doc = document(
        employer(USCC_1, record("harmonious_certified", "2024-01-01", **{"a\nb\r\nc": 1}))
    )

    outcome = rate_file(capsys, tmp_path, doc)

    assert_refused(outcome, "employers[0].records[0].a b c")


def test_the_garbage_collector_is_back_on_after_a_run_in_process(capsys, tmp_path):
    import gc

    rate_file(capsys, tmp_path, document(employer(USCC_1)))
    rate_file(capsys, tmp_path, b"[")

    assert gc.isenabled()


def test_an_unknown_command_is_refused_in_chinese(capsys):
    status = main(["no-such-command"])
    err = capsys.readouterr().err
    assert status == 2
    assert "未知命令 no-such-command" in err
