"""A base for the `laborcredit` domain commands: Chinese help, Chinese errors, no English prefix.

Django's own parser prints "usage:", "options:", English help for its base
options and "CommandError: …"; every word the operator reads here is Chinese.
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcredit.lib.argparse_zh import ChineseHelpFormatter, translate
from laborcredit.rules.validation import parse_date

_BASE_HELP = {
    "help": "显示本帮助并退出",
    "verbosity": "输出详细程度：0 最少，1 正常，2、3 更详细",
    "skip_checks": "跳过系统检查",
}


class ChineseCommandParser(CommandParser):
    def error(self, message: str):  # type: ignore[no-untyped-def]
        message = translate(message)
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}：{message}\n")
        raise CommandError(message)


def _chinese(parser: Any) -> None:
    parser.__class__ = ChineseCommandParser
    parser.formatter_class = ChineseHelpFormatter
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    for action in parser._actions:
        if action.dest in _BASE_HELP:
            action.help = _BASE_HELP[action.dest]
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict):
            for sub in choices.values():
                if isinstance(sub, CommandParser):
                    _chinese(sub)


class DomainCommand(BaseCommand):
    suppressed_base_arguments = {
        "--version",
        "--settings",
        "--pythonpath",
        "--traceback",
        "--no-color",
        "--force-color",
        "--skip-checks",
    }

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _chinese(parser)
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False):
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)


def date_option(value: str, label: str) -> datetime.date:
    """A YYYY-MM-DD option, checked as the rules package checks dates; else a Chinese refusal."""
    day, message = parse_date(value)
    if day is None:
        raise CommandError(f"{label}：{message}")
    return day
