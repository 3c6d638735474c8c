"""`laborcredit portal account CODE [--password-file F]`: open an employer's portal account (第十八条)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.credit.models import Employer
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused
from laborcredit.portal.services import (
    activation_code_expiry,
    employer_account_create,
    normalise_uscc,
)


class Command(DomainCommand):
    help = "用人单位信用查询（第十八条）：开通用人单位账号"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True, metavar="account")
        account = sub.add_parser(
            "account",
            help="为用人单位开通账号；未给密码文件时打印一次性激活码（有效期 14 天）",
        )
        account.add_argument("code", metavar="统一社会信用代码", help="用人单位的统一社会信用代码")
        account.add_argument(
            "--password-file",
            help="从文件读取初始密码（第一行），账号即可登录，不生成激活码",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        code = normalise_uscc(options["code"])
        if code is None:
            raise CommandError(f"统一社会信用代码无效（GB 32100-2015）：{options['code']}")
        employer = Employer.objects.filter(uscc=code).first()
        if employer is None:
            raise CommandError(f"未找到统一社会信用代码为 {code} 的用人单位")
        password = None
        if options["password_file"]:
            path = Path(options["password_file"])
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"无法读取密码文件 {path}：{error}") from None
            password = lines[0] if lines else ""
        with acting_as(actor=command_line_actor(), role="credit_officer", address="local"):
            try:
                account, activation = employer_account_create(
                    employer=employer, actor=None, password=password
                )
            except Refused as refused:
                raise CommandError(
                    "开通被拒绝：" + "；".join(p.message for p in refused.problems), returncode=1
                ) from None
        self.stdout.write(f"已开通 {employer.name}（{employer.uscc}）的用人单位账号")
        if activation:
            expires = timezone.localtime(activation_code_expiry(account))
            self.stdout.write(f"激活码：{activation}")
            self.stdout.write(f"有效期至：{expires:%Y-%m-%d %H:%M}（只能使用一次）")
        else:
            self.stdout.write("已设置初始密码，可直接登录 /portal/login/")
