"""/inspections/results/<id>/ as a browser sees it: the result is a pair of radio buttons, the date
box is given YYYY-MM-DD, and the form as rendered, posted back unchanged, saves.

In Chromium the result came out as the text of <option>s inside <label>s (a select's options looped
as if they were radios), so nothing was posted for it and every save answered 请选择检查结果; the
date box came up empty, given the zh-hans 2026/11/01 that <input type="date"> does not read."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest

from laborcredit.inspections.models import PlannedInspection
from laborcredit.inspections.services import plan_publish
from tests.inspections.helpers import THIS_YEAR, drawn_plan, graded, roster
from tests.web.helpers import log_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


class FormReader(HTMLParser):
    """The controls of a page's forms, and what a browser posts for them when nothing is changed:
    text, date and hidden inputs with their value, a radio or checkbox only when checked, a
    textarea's text, a select's selected option."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inputs: list[dict[str, str | None]] = []
        self.options: list[dict[str, str | None]] = []
        self.posted: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            self.inputs.append(attributes)
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    self.posted[name] = attributes.get("value") or "on"
            elif kind not in ("submit", "button", "file"):
                self.posted[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.posted[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option":
            self.options.append(attributes)
            if self._select and ("selected" in attributes or self._select not in self.posted):
                self.posted[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            text = self.posted[self._textarea] + data
            self.posted[self._textarea] = text.removeprefix("\n")  # as a browser drops it


def read(page: str) -> FormReader:
    reader = FormReader()
    reader.feed(page)
    return reader


@pytest.fixture
def row():
    graded("C")
    roster(4)
    plan = drawn_plan(rates={"A+": 0, "A": 0, "B": 0, "C": 1})
    plan_publish(plan=plan, actor="officer")
    return plan.inspections.select_related("inspector_1__user", "inspector_2__user").get()


@pytest.fixture
def inspector(client, row):
    return log_in(client, row.inspector_1.user)


def test_the_result_is_a_pair_of_radio_buttons_named_as_the_form_field(inspector, row):
    page = inspector.get(f"/inspections/results/{row.pk}/").content.decode()
    radios = [i for i in read(page).inputs if i.get("type") == "radio"]
    assert [(r["name"], r["value"]) for r in radios] == [("violation", "no"), ("violation", "yes")]
    assert ["checked" in r for r in radios] == [True, False]  # 未发现违法行为 is offered
    assert not read(page).options  # no <option> outside a <select>
    assert "未发现违法行为 未发现违法行为" not in page


def test_the_date_box_is_given_the_date_as_yyyy_mm_dd(inspector, row):
    page = inspector.get(f"/inspections/results/{row.pk}/").content.decode()
    [date] = [i for i in read(page).inputs if i["name"] == "date"]
    assert date["type"] == "date" and date["value"] == TODAY.isoformat()
    assert date["min"] == THIS_YEAR.isoformat() and date["max"] == TODAY.isoformat()
    assert TODAY.strftime("%Y/%m/%d") not in page


def test_the_form_as_rendered_and_posted_back_unchanged_saves(inspector, row):
    page = inspector.get(f"/inspections/results/{row.pk}/").content.decode()
    posted = read(page).posted
    assert posted["violation"] == "no" and posted["date"] == TODAY.isoformat()
    response = inspector.post(f"/inspections/results/{row.pk}/", posted)
    assert response.status_code == 303, response.content.decode()
    row.refresh_from_db()
    assert row.result == PlannedInspection.Result.NO_VIOLATION and row.result_date == TODAY


def test_the_form_with_the_other_radio_chosen_records_a_violation(inspector, row):
    posted = read(inspector.get(f"/inspections/results/{row.pk}/").content.decode()).posted
    posted.update(violation="yes", case="舞人社监〔2026〕41号")
    assert inspector.post(f"/inspections/results/{row.pk}/", posted).status_code == 303
    row.refresh_from_db()
    assert row.result == PlannedInspection.Result.VIOLATION and row.record.case.endswith("41号")


def test_a_refused_post_shows_the_form_again_with_the_choice_and_the_date_kept(inspector, row):
    late = TODAY + datetime.timedelta(days=1)
    response = inspector.post(
        f"/inspections/results/{row.pk}/", {"date": late.isoformat(), "violation": "yes"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写案件编号" in page and "检查日期不能晚于今天" in page
    again = read(page)
    assert again.posted["violation"] == "yes" and again.posted["date"] == late.isoformat()


def test_a_result_entered_after_the_period_is_offered_the_period_s_last_day(client):
    graded("C")
    roster(4)
    last_year = datetime.date(THIS_YEAR.year - 1, 1, 1)
    plan = drawn_plan(period_start=last_year, rates={"A+": 0, "A": 0, "B": 0, "C": 1})
    plan_publish(plan=plan, actor="officer")
    row = plan.inspections.select_related("inspector_1__user").get()
    log_in(client, row.inspector_1.user)
    page = client.get(f"/inspections/results/{row.pk}/").content.decode()
    posted = read(page).posted
    assert posted["date"] == f"{last_year.year}-12-31"
    assert client.post(f"/inspections/results/{row.pk}/", posted).status_code == 303
