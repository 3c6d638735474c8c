"""`laborcredit users create|disable|roles|assign|revoke`: accounts for the operator, audited."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from laborcredit.accounts import services
from laborcredit.accounts.roles import ROLES, role_label
from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.errors import Refused

User = get_user_model()


class Command(DomainCommand):
    help = "管理账号：新建、停用、查看角色、分配或撤销角色（均记入审计日志）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="操作")
        create = sub.add_parser("create", help="新建账号（首次登录须修改密码）")
        create.add_argument("username", metavar="账号")
        create.add_argument("--full-name", default="", help="姓名")
        create.add_argument(
            "--role", action="append", default=[], choices=list(ROLES), help="角色，可多次给出"
        )
        create.add_argument(
            "--password-env",
            metavar="变量名",
            help="从该环境变量读取初始密码（默认在终端中提示输入）",
        )
        disable = sub.add_parser("disable", help="停用账号并结束其全部会话")
        disable.add_argument("username", metavar="账号")
        sub.add_parser("roles", help="列出账号及其角色")
        for name, text in (("assign", "分配角色"), ("revoke", "撤销角色")):
            one = sub.add_parser(name, help=text)
            one.add_argument("username", metavar="账号")
            one.add_argument("role", metavar="角色", choices=list(ROLES))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "roles":
                self._list()
            elif action == "create":
                self._create(options)
            else:
                user = self._user(options["username"])
                if action == "disable":
                    services.user_disable(user=user, actor=None)
                    self.stdout.write(f"已停用账号 {user.username}")
                elif action == "assign":
                    services.role_assign(user=user, role=options["role"], actor=None)
                    self.stdout.write(
                        f"已为 {user.username} 分配角色 {role_label(options['role'])}"
                    )
                else:
                    services.role_revoke(user=user, role=options["role"], actor=None)
                    self.stdout.write(
                        f"已撤销 {user.username} 的角色 {role_label(options['role'])}"
                    )
        except Refused as refused:
            raise CommandError("；".join(p.message for p in refused.problems)) from None

    def _user(self, username: str) -> Any:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号 {username}")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
        else:
            password = getpass.getpass("初始密码：")
        from django.db import transaction

        with transaction.atomic():
            user = services.user_create(
                username=options["username"],
                password=password,
                full_name=options["full_name"],
                actor=None,
            )
            for role in options["role"]:
                services.role_assign(user=user, role=role, actor=None)
        self.stdout.write(f"已新建账号 {user.username}（首次登录须修改密码）")

    def _list(self) -> None:
        for user in User.objects.order_by("username").prefetch_related("groups"):
            roles = "、".join(role_label(g.name) for g in user.groups.all() if g.name in ROLES)
            state = "" if user.is_active else "（已停用）"
            self.stdout.write(f"{user.username}{state}\t{roles or '无角色'}")
