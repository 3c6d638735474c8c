"""/employers/: search, filters, keyset pages and export, for users with credit.view_employer only."""

import datetime
import io

import openpyxl
import pytest

from laborcredit.audit.models import AuditEntry
from laborcredit.credit.services import employer_update, record_create
from tests.factories import EmployerFactory, make_uscc
from tests.web.helpers import assert_no_outside_assets, log_in, penalise, user_with

pytestmark = pytest.mark.django_db


def _recently(days: int = 30) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=days)


@pytest.fixture
def viewer(client):
    log_in(client, user_with("credit.view_employer", "credit.view_creditrecord"))
    return client


@pytest.fixture
def renamed():
    employer = EmployerFactory(uscc=make_uscc(7001), name="舞钢市旧名机械厂")
    employer_update(employer=employer, actor="officer", name="舞钢市新名重工有限公司")
    return employer


@pytest.fixture
def penalised():
    employer = EmployerFactory(uscc=make_uscc(7002), name="舞钢市处罚建材有限公司")
    penalise(employer)
    return employer


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get("/employers/").status_code == 302


def test_a_user_without_the_permission_is_refused_with_a_chinese_403(client):
    log_in(client, user_with(username="nobody"))
    response = client.get("/employers/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_the_list_shows_code_name_and_grade_badge(viewer, penalised):
    response = viewer.get("/employers/")
    assert response.status_code == 200
    page = response.content.decode()
    assert penalised.uscc in page
    assert "舞钢市处罚建材有限公司" in page
    assert 'class="badge badge-c"' in page
    assert_no_outside_assets(page)


def test_a_search_by_former_name_finds_the_renamed_employer(viewer, renamed, penalised):
    page = viewer.get("/employers/", {"q": "旧名机械"}).content.decode()
    assert "舞钢市新名重工有限公司" in page
    assert "舞钢市处罚建材有限公司" not in page


def test_the_grade_filter_keeps_only_that_grade(viewer, renamed, penalised):
    page = viewer.get("/employers/", {"grade": "C"}).content.decode()
    assert "舞钢市处罚建材有限公司" in page
    assert "舞钢市新名重工有限公司" not in page


def test_a_pending_review_is_marked(viewer):
    employer = EmployerFactory(uscc=make_uscc(7003), name="舞钢市待复核有限公司")
    record_create(
        employer=employer, type="violation_found", date=_recently(), case="舞人社监〔2026〕3号",
        actor="officer",
    )  # fmt: skip
    page = viewer.get("/employers/", {"needs_review": "1"}).content.decode()
    assert "舞钢市待复核有限公司" in page
    assert "需人工复核</span>" in page


def test_the_next_page_cursor_walks_every_row_once(viewer, monkeypatch):
    from laborcredit.web import views_employers

    real = views_employers.employer_search
    monkeypatch.setattr(views_employers, "employer_search", lambda **kw: real(**{**kw, "limit": 3}))
    codes = {EmployerFactory(uscc=make_uscc(7100 + n)).uscc for n in range(8)}
    seen: list[str] = []
    url = "/employers/?order=-uscc"
    pages = 0
    while url:
        response = viewer.get(url)
        assert response.status_code == 200
        context = response.context
        seen += [row["uscc"] for row in context["rows"]]
        url = "/employers/" + context["next_url"] if context["next_url"] else ""
        pages += 1
    assert sorted(seen) == sorted(codes)
    assert len(seen) == len(set(seen))
    assert pages == 3
    assert "下一页" not in response.content.decode()


def test_a_bad_cursor_is_explained_not_a_server_error(viewer):
    response = viewer.get("/employers/", {"after": "nonsense"})
    assert response.status_code == 400
    assert "翻页标记无效" in response.content.decode()


def test_the_export_is_the_current_selection_as_xlsx_and_is_audited(viewer, renamed, penalised):
    response = viewer.post("/employers/export/", {"grade": "C", "kind": "grades", "reason": "督查"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [penalised.uscc]
    assert rows[1][2] == "C"
    assert AuditEntry.objects.filter(event="export").count() == 1


def test_the_export_needs_the_permission(client):
    log_in(client, user_with(username="nobody"))
    assert client.post("/employers/export/", {"kind": "grades"}).status_code == 403


def test_every_export_needs_a_reason_even_of_a_search_that_matches_everyone(
    viewer, renamed, penalised
):
    for search in ({}, {"q": "舞钢市"}, {"grade": "C"}):
        refused = viewer.post("/employers/export/", {**search, "kind": "employers"})
        assert refused.status_code == 400
        assert "批量导出须填写导出事由" in refused.content.decode()
    assert not AuditEntry.objects.filter(event="export").exists()
    response = viewer.post("/employers/export/", {"kind": "employers", "reason": "年度报送"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(event="export")
    assert entry.data["reason"] == "年度报送"


def test_a_refused_export_keeps_the_search_and_an_empty_result_offers_no_export(viewer):
    search = {"q": "不存在的单位", "grade": "C", "township": "尚店镇"}
    refused = viewer.post("/employers/export/", {**search, "kind": "grades", "reason": "核对"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "无可导出的数据" in page
    assert 'value="不存在的单位"' in page
    assert '<option value="C" selected>' in page and '<option value="尚店镇" selected>' in page
    assert "返回刚才的查询结果" in page
    listed = viewer.get("/employers/", search).content.decode()
    assert "共 0 家单位" in listed and "导出当前查询结果" not in listed


def test_township_and_industry_section_filters_combine(viewer):
    EmployerFactory(uscc=make_uscc(7201), name="舞钢市八台建筑有限公司", township="八台镇",
                    industry_code="E47")  # fmt: skip
    EmployerFactory(uscc=make_uscc(7202), name="舞钢市八台钢铁有限公司", township="八台镇",
                    industry_code="C31")  # fmt: skip
    EmployerFactory(uscc=make_uscc(7203), name="舞钢市垭口建筑有限公司", township="垭口街道",
                    industry_code="E48")  # fmt: skip
    page = viewer.get("/employers/", {"township": "八台镇", "industry": "E"}).content.decode()
    assert "舞钢市八台建筑有限公司" in page
    assert "舞钢市八台钢铁有限公司" not in page
    assert "舞钢市垭口建筑有限公司" not in page


def test_the_employer_export_masks_the_legal_representative(viewer):
    EmployerFactory(uscc=make_uscc(7301), name="舞钢市脱敏测试有限公司", legal_rep_name="张三明")
    response = viewer.post(
        "/employers/export/", {"q": "脱敏测试", "kind": "employers", "reason": "核对"}
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][2] == "张*明"
