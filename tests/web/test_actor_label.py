from laborcredit.web.templatetags.actors import actor_label


def test_an_employer_account_and_the_command_line_read_as_what_they_are():
    assert actor_label("employer:91410481MATTX6JDDG") == "用人单位（门户账号 91410481MATTX6JDDG）"
    assert actor_label("cli:root") == "命令行（root）"
    assert actor_label("api:市市场监督管理局") == "数据接口（市市场监督管理局）"
    assert actor_label("xinyong") == "xinyong"
    assert actor_label("") == "—"


def test_every_staff_page_names_who_acted_through_the_one_filter():
    """Templates that print who created, decided, approved, adjusted or entered something
    print it through `actor_label`, so a command line or an API never shows as cli:/api:."""
    import re
    from pathlib import Path

    import laborcredit

    raw = re.compile(
        r"\{\{ [a-z_.]*\.(created_by|decided_by|adjusted_by|entered_by|approved_by|revoked_by"
        r"|accepted_by|notified_by) *\}\}"
    )
    found = [
        str(path)
        for path in Path(laborcredit.__file__).parent.rglob("*.html")
        if raw.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
