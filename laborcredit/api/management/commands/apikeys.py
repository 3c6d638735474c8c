"""`laborcredit apikeys create|list|revoke`: the API keys of other departments' systems (第六条)."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from laborcredit.api.models import ApiKey, Scope
from laborcredit.api.services import apikey_create, apikey_revoke
from laborcredit.audit.context import acting_as, command_line_actor
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD，收到 {text!r}") from None


class Command(DomainCommand):
    help = "数据接口（第六条）：新建、列出、吊销其他部门系统的接口密钥"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True, metavar="create|list|revoke")
        create = sub.add_parser("create", help="新建接口密钥（完整密钥只显示这一次）")
        create.add_argument("--department", required=True, help="使用密钥的部门（系统）名称")
        create.add_argument(
            "--scopes",
            required=True,
            help=f"权限范围，逗号分隔：{','.join(Scope.values)}",
        )
        create.add_argument("--expires", required=True, help="有效期至（含当日），YYYY-MM-DD")
        create.add_argument("--rate", type=int, default=60, help="每分钟调用上限（默认 60）")
        sub.add_parser("list", help="列出全部接口密钥（只显示前缀）")
        revoke = sub.add_parser("revoke", help="吊销接口密钥，立即生效")
        revoke.add_argument("prefix", help="密钥前缀（见 apikeys list）")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        action = options["action"]
        if action == "list":
            return self._list()
        actor = command_line_actor()
        with acting_as(actor=actor, role="system_admin", address="local"):
            try:
                if action == "create":
                    scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
                    made = apikey_create(
                        department=options["department"],
                        scopes=scopes,
                        expires_on=_date(options["expires"]),
                        rate_limit_per_minute=options["rate"],
                        actor=actor,
                    )
                    key = made.key
                    self.stdout.write(
                        f"已为{key.department}新建接口密钥（前缀 {key.prefix}，权限 {','.join(key.scopes)}，"
                        f"有效至 {options['expires']}，每分钟 {key.rate_limit_per_minute} 次）。\n"
                        "完整密钥只显示这一次，请立即交给对方妥善保存：\n"
                        f"{made.token}"
                    )
                else:
                    key = apikey_revoke(prefix=options["prefix"], actor=actor)
                    self.stdout.write(f"已吊销{key.department}的接口密钥 {key.prefix}")
            except Refused as refused:
                raise CommandError(
                    "操作被拒绝：" + "；".join(p.message for p in refused.problems), returncode=1
                ) from None

    def _list(self) -> None:
        keys = list(ApiKey.objects.all())
        if not keys:
            self.stdout.write("尚无接口密钥")
            return
        for key in keys:
            used = key.last_used_at.strftime("%Y-%m-%d %H:%M") if key.last_used_at else "从未调用"
            self.stdout.write(
                f"{key.prefix}\t{key.department}\t{','.join(key.scopes)}\t"
                f"有效至 {(timezone.localtime(key.expires_at) - datetime.timedelta(days=1)).date()}"
                f"\t每分钟 {key.rate_limit_per_minute} 次\t{key.status_label}\t最近调用：{used}"
            )
