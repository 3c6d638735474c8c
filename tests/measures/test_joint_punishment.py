"""第十七条 last paragraph: the joint-punishment list — page, masking, exports, the command."""

from __future__ import annotations

import csv
import datetime
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laborcredit.credit.services import record_create
from laborcredit.lib.errors import Refused
from laborcredit.measures import selectors
from laborcredit.measures.exporting import HEADER, joint_punishment_export
from laborcredit.measures.selectors import joint_punishment_page, joint_punishment_rows
from tests.accounts.helpers import entries, make_user
from tests.factories import EmployerFactory, make_uscc
from tests.measures.helpers import TODAY, blacklisted, penalised

pytestmark = pytest.mark.django_db

URL = "/measures/joint-punishment/"


@pytest.fixture
def listed():
    employer = blacklisted(legal_rep_name="王建国")
    penalised(9104)  # C because of a penalty: not for joint punishment
    return employer


def test_the_list_holds_c_employers_of_the_blacklist_with_the_decision(listed):
    (row,) = joint_punishment_rows(unmasked=False)
    assert row["uscc"] == listed.uscc and row["legal_rep"] == "王*国"
    assert row["listed_on"] == TODAY() - datetime.timedelta(days=20)
    assert row["document_number"] == "平人社欠薪〔2026〕3号"
    assert row["authority"] == "平顶山市人力资源和社会保障局"
    assert row["removed_on"] is None and row["responsible_persons"] == "负有直接责任的人员：王某某"
    assert next(joint_punishment_rows(unmasked=True))["legal_rep"] == "王建国"


def test_a_removal_within_the_last_year_keeps_the_employer_listed_with_both_dates(listed):
    record_create(
        employer=listed, type="blacklist_removed", date=TODAY() - datetime.timedelta(days=5),
        actor="officer",
    )  # fmt: skip
    (row,) = joint_punishment_rows(unmasked=False)
    assert row["removed_on"] == TODAY() - datetime.timedelta(days=5)


def test_an_inspector_sees_the_list_masked_and_nothing_is_audited(client, listed):
    client.force_login(make_user("jiancha", "inspector"))
    page = client.get(URL).content.decode()
    assert listed.name in page and "王*国" in page and "王建国" not in page
    assert "平人社欠薪〔2026〕3号" in page
    assert not [e for e in entries("personal_info_view") if e.object_type != "employer"]


def test_an_officer_sees_the_names_whole_and_the_view_is_audited(client, listed):
    client.force_login(make_user("xinyong", "credit_officer"))
    assert "王建国" in client.get(URL).content.decode()
    (entry,) = [
        e for e in entries("personal_info_view") if e.object_type == "joint_punishment_list"
    ]
    assert entry.data["usccs"] == [listed.uscc]


def test_the_window_may_not_see_the_list(client, listed):
    client.force_login(make_user("chuangkou", "licensing_window"))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_the_page_exports_each_format_masked_and_audited(client, listed, fmt, tmp_path):
    client.force_login(make_user("jiancha", "inspector"))
    response = client.post(URL + "export/", {"format": fmt, "reason": "核对"})
    assert response.status_code == 200
    assert f"joint-punishment.{fmt}" in response["Content-Disposition"]
    path = tmp_path / f"list.{fmt}"
    path.write_bytes(response.content)
    if fmt == "json":
        (item,) = json.loads(path.read_text("utf-8"))["employers"]
        assert (item["uscc"], item["legal_rep"], item["removed_on"]) == (listed.uscc, "王*国", None)
    elif fmt == "csv":
        rows = list(csv.reader(path.open(encoding="utf-8-sig")))
        assert rows[0] == HEADER and rows[1][:3] == [listed.uscc, listed.name, "王*国"]
    else:
        sheet = openpyxl.load_workbook(path).active
        assert [c.value for c in sheet[2]][:3] == [listed.uscc, listed.name, "王*国"]
    (entry,) = entries("export")
    assert entry.data["kind"] == "joint_punishment" and entry.data["rows"] == 1
    assert entry.data["personal_info"] == "masked"


def test_an_unmasked_export_needs_the_permission_and_a_reason(client, listed):
    client.force_login(make_user("jiancha", "inspector"))
    denied = client.post(URL + "export/", {"format": "csv", "unmasked": "on", "reason": "核对"})
    assert denied.status_code == 403
    client.force_login(make_user("xinyong", "credit_officer"))
    refused = client.post(URL + "export/", {"format": "csv", "unmasked": "on", "reason": ""})
    assert refused.status_code == 400 and "事由" in refused.content.decode()
    done = client.post(
        URL + "export/", {"format": "csv", "unmasked": "on", "reason": "发改委联合惩戒"}
    )
    assert "王建国" in done.content.decode("utf-8-sig")
    assert [e.data["personal_info"] for e in entries("export")] == ["unmasked"]


def test_an_unknown_format_is_refused_in_chinese(client, listed):
    client.force_login(make_user("xinyong", "credit_officer"))
    response = client.post(URL + "export/", {"format": "pdf", "reason": "核对"})
    assert response.status_code == 400 and not entries("export")
    with pytest.raises(Refused) as refused:
        joint_punishment_export("/tmp/never.pdf", fmt="pdf")
    assert refused.value.codes == ["format-invalid"]


def test_the_command_writes_json_by_its_extension_and_is_audited(listed, tmp_path, capsys):
    target = tmp_path / "名单.json"
    call_command("measures", "joint-punishment", "-o", str(target))
    document = json.loads(target.read_text("utf-8"))
    assert document["article"] == "第十七条" and document["employers"][0]["uscc"] == listed.uscc
    assert "已导出联合惩戒名单 1 家单位" in capsys.readouterr().out
    assert entries("export")[0].data["format"] == "json"


def test_the_command_refuses_an_unmasked_export_without_reason(listed, tmp_path):
    target = tmp_path / "list.xlsx"
    with pytest.raises(CommandError, match="事由"):
        call_command("measures", "joint-punishment", "-o", str(target), "--unmasked")
    assert not target.exists() and not entries("export")


def _listed_days_ago(n: int, days: int, **fields):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(uscc=make_uscc(n), **fields)
    record_create(
        employer=employer, type="blacklist_listed", date=TODAY() - datetime.timedelta(days=days),
        document_number=f"平人社欠薪〔2026〕{n}号", actor="officer",
    )  # fmt: skip
    return employer


def test_the_latest_listing_comes_first_and_the_export_reads_in_batches_in_that_order(listed):
    later = _listed_days_ago(9111, 2)
    middle = _listed_days_ago(9112, 10)
    order = [later.uscc, middle.uscc, listed.uscc]
    assert [row["uscc"] for row in joint_punishment_rows(unmasked=False, batch=1)] == order
    assert [row["uscc"] for row in joint_punishment_rows(unmasked=False, batch=2)] == order
    page = joint_punishment_page(unmasked=False, page=2, size=2)
    assert [row["uscc"] for row in page] == [listed.uscc] and page.paginator.count == 3


def _listing(employer, days: int, number: int) -> None:  # type: ignore[no-untyped-def]
    record_create(
        employer=employer, type="blacklist_listed", date=TODAY() - datetime.timedelta(days=days),
        document_number=f"平人社欠薪〔2026〕{number}号", actor="officer",
    )  # fmt: skip


def _removal(employer, days: int) -> None:  # type: ignore[no-untyped-def]
    record_create(
        employer=employer, type="blacklist_removed", date=TODAY() - datetime.timedelta(days=days),
        actor="officer",
    )  # fmt: skip


def test_a_listing_while_listed_continues_the_spell_in_the_column_and_in_the_order(listed):
    """第十二条(二): listed 20 days ago and again 2 days ago, the spell began 20 days ago, so
    an employer first listed 10 days ago comes before it, as the 列入日期 column reads."""
    _listing(listed, 2, 7)
    middle = _listed_days_ago(9112, 10)
    rows = list(joint_punishment_rows(unmasked=False))
    assert [row["uscc"] for row in rows] == [middle.uscc, listed.uscc]
    assert rows[1]["listed_on"] == TODAY() - datetime.timedelta(days=20)
    assert rows[1]["document_number"] == "平人社欠薪〔2026〕3号"


def test_a_listing_after_a_removal_begins_a_new_spell(listed):
    _removal(listed, 15)
    _listing(listed, 5, 8)
    _listing(listed, 1, 9)  # while listed again: the spell of five days ago goes on
    newer = _listed_days_ago(9112, 3)
    rows = list(joint_punishment_rows(unmasked=False))
    assert [row["uscc"] for row in rows] == [newer.uscc, listed.uscc]
    assert rows[1]["listed_on"] == TODAY() - datetime.timedelta(days=5)
    assert rows[1]["document_number"] == "平人社欠薪〔2026〕8号" and rows[1]["removed_on"] is None


def test_on_one_day_a_listing_counts_before_a_removal_as_the_rules_say(listed):
    """The removal is entered before the second listing of the same day, yet closes the spell
    that began 20 days ago (`rules.grading.blacklist_spells`); no spell is open after it."""
    _removal(listed, 4)
    _listing(listed, 4, 8)
    middle = _listed_days_ago(9112, 10)
    rows = list(joint_punishment_rows(unmasked=False))
    assert [row["uscc"] for row in rows] == [middle.uscc, listed.uscc]
    assert rows[1]["listed_on"] == TODAY() - datetime.timedelta(days=20)
    assert rows[1]["removed_on"] == TODAY() - datetime.timedelta(days=4)
    assert rows[1]["document_number"] == "平人社欠薪〔2026〕3号"


def test_the_page_shows_one_page_with_links_and_the_export_holds_them_all(
    client, listed, monkeypatch, tmp_path
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    other = _listed_days_ago(9113, 2)
    client.force_login(make_user("jiancha", "inspector"))
    first = client.get(URL).content.decode()
    assert other.uscc in first and listed.uscc not in first
    assert "共 2 家" in first and 'href="?page=2"' in first
    second = client.get(URL, {"page": "2"}).content.decode()
    assert listed.uscc in second and other.uscc not in second
    result = joint_punishment_export(tmp_path / "list.json", fmt="json")
    exported = json.loads((tmp_path / "list.json").read_text("utf-8"))["employers"]
    assert result.rows == 2 and [e["uscc"] for e in exported] == [other.uscc, listed.uscc]


def test_every_shape_of_up_to_four_listings_and_removals_on_two_days_reads_as_the_rules_say():
    """Each multiset of up to four listings and removals on two days that
    `rules.grading.blacklist_spells` accepts, one employer each, entered day by day with a
    removal first wherever the file stays valid: the list's 列入日期 and 移出日期 are the
    last spell's, and the list is ordered by that spell's listing (第十二条(二))."""
    from itertools import combinations_with_replacement

    from laborcredit.rules.grading import RecordSequenceError, blacklist_spells
    from laborcredit.rules.vocabulary import Record, RecordType

    def spells(shape):  # type: ignore[no-untyped-def]
        return blacklist_spells(
            Record(RecordType(kind), TODAY() - datetime.timedelta(days=days))
            for days, kind in shape
        )

    def valid(shape) -> bool:  # type: ignore[no-untyped-def]
        try:
            spells(shape)
        except RecordSequenceError:
            return False  # a removal with nothing open: refused on entry (validation.py)
        return True

    kinds = [(days, kind) for days in (8, 4) for kind in ("blacklist_listed", "blacklist_removed")]
    expected = {}
    for size in range(1, 5):
        for shape in filter(valid, combinations_with_replacement(kinds, size)):
            employer = EmployerFactory(uscc=make_uscc(9200 + len(expected)))
            left, entered = sorted(shape, key=lambda e: (-e[0], e[1] == "blacklist_listed")), []
            while left:  # a removal first where the entered part stays valid
                days, kind = left.pop(next(i for i, e in enumerate(left) if valid([*entered, e])))
                entered.append((days, kind))
                if kind == "blacklist_listed":
                    _listing(employer, days, 300 + len(entered))
                else:
                    _removal(employer, days)
            last = spells(shape)[-1]
            expected[employer.uscc] = (last.listed, last.removed)
    rows = list(joint_punishment_rows(unmasked=False))
    assert len(expected) > 20 and len(rows) > 10
    for row in rows:
        assert (row["listed_on"], row["removed_on"]) == expected[row["uscc"]], row["uscc"]
    assert [row["uscc"] for row in rows] == sorted(
        (row["uscc"] for row in rows), key=lambda code: (expected[code][0], code), reverse=True
    )
