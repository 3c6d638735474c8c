"""The home page shows the grading rules in force, from the rules package."""

import datetime

import pytest

from laborcredit.web.selectors import grading_rules_in_force

pytestmark = pytest.mark.django_db


def test_home_page_lists_the_four_grades_and_the_articles(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for grade in ("A+级", "A级", "B级", "C级"):
        assert grade in page
    assert "被列入拖欠农民工工资“黑名单”的。" in page  # 第十二条(二), in full
    assert "舞人社〔2022〕127号" in page


def test_home_page_links_no_asset_outside_the_application(client):
    page = client.get("/").content.decode()
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
    assert "/static/web/site.css" in page


def test_static_files_are_served_by_the_application_itself(client):
    response = client.get("/static/web/site.css")
    assert response.status_code == 200
    assert b"--red" in b"".join(response.streaming_content)


def test_rules_in_force_show_the_windows_in_chinese_with_their_articles():
    rules = grading_rules_in_force(datetime.date(2026, 11, 24))
    shown = {p["name"]: p for p in rules["parameters"]}
    assert shown["recent_window"]["value"] == "12个月（1年）"
    assert shown["a_plus_clean_window"]["value"] == "60个月（5年）"
    assert shown["a_plus_clean_window"]["reference"] == "第九条(一)"
    assert shown["provincial_policy"]["value"] == "仅提示人工复核"
    assert all(p["since"] == datetime.date(2022, 12, 15) for p in rules["parameters"])


def test_before_the_regulation_took_effect_no_parameter_is_shown():
    assert grading_rules_in_force(datetime.date(2022, 12, 14))["parameters"] == []


def test_healthz_says_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_an_unknown_page_is_a_404_without_a_traceback(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_article_clauses_are_on_lines_of_their_own(client):
    page = client.get("/").content.decode()
    assert "\\n" not in page
    assert "处罚的；<br>（二）被列入" in page


def test_the_provincial_policy_is_shown_by_its_chinese_name_not_its_code():
    rules = grading_rules_in_force(datetime.date(2026, 11, 24))
    policy = {p["name"]: p for p in rules["parameters"]}["provincial_policy"]
    assert policy["value"] == "仅提示人工复核"
    assert "flag" not in policy["description"] and "cap" not in policy["description"]


def test_the_record_types_are_listed_by_their_chinese_names_without_program_codes(client):
    page = client.get("/").content.decode()
    assert "认定为市级劳动关系和谐企业" in page
    for code in ("harmonious_certified", "violation_found", "labor_practice_assessed"):
        assert code not in page


def test_every_parameter_reads_in_chinese():
    rules = grading_rules_in_force(datetime.date(2026, 11, 24))
    shown = {p["name"]: p for p in rules["parameters"]}
    cap = shown["provincial_cap_grade"]
    assert cap["value"] == "B级"
    assert "以规定等级封顶" in cap["description"]
    for p in rules["parameters"]:
        assert not any("a" <= ch.lower() <= "z" for ch in p["description"]), p["description"]
