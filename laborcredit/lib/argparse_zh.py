"""argparse that speaks Chinese: usage, section titles and error messages.

The standard library prints "usage:", "options:" and its errors in English;
every word a user reads here is Chinese, and a bad call exits with status 2.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), "缺少必需的参数：{0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (.*?): expected one argument"), "参数 {0} 需要一个值"),
    (
        re.compile(r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)"),
        "参数 {0} 的取值 {1} 无效，应为 {2} 之一",
    ),
    (re.compile(r"argument (.*?): invalid (.*?) value: (.*)"), "参数 {0} 的取值 {2} 无效"),
    (re.compile(r"ambiguous option: (.*?) could match (.*)"), "选项 {0} 有歧义，可能是 {1}"),
    (re.compile(r"argument (.*?): not allowed with argument (.*)"), "参数 {0} 不能与 {1} 同时使用"),
)


def translate(message: str) -> str:
    for pattern, template in _MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return template.format(*match.groups())
    return message


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{translate(message)}\n")
