from laborcredit.web.templatetags.actors import actor_label


def test_an_employer_account_and_the_command_line_read_as_what_they_are():
    assert actor_label("employer:91410481MATTX6JDDG") == "用人单位（门户账号 91410481MATTX6JDDG）"
    assert actor_label("cli:root") == "命令行（root）"
    assert actor_label("api:市市场监督管理局") == "数据接口（市市场监督管理局）"
    assert actor_label("xinyong") == "xinyong"
    assert actor_label("") == "—"
