"""`laborcredit bootstrap`: make a new installation usable (the first administrator).

The first account is a 系统管理员 (AC1: no superuser), who must change the
initial password at first login, then creates the 安全管理员 who assigns roles.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from laborcredit.accounts.roles import ROLES
from laborcredit.accounts.services import role_assign, user_create
from laborcredit.lib.commands import DomainCommand

FIRST_ADMIN = "admin"

DEMO_ACCOUNTS = {
    "xinyong": "credit_officer",
    "jiancha": "inspector",
    "chuangkou": "licensing_window",
    "lingdao": "leadership",
    "anquan": "security_admin",
    "shenji": "audit_admin",
}
"""One account per other role, for trying the demo (never in production)."""

# The 双随机 draw (issue 5) takes two inspectors per inspection, never the employer's last ones:
# a roster of six lets a demo plan for C employers (four a year) be drawn in full.
DEMO_ROSTER = ("jiancha", "jiancha2", "jiancha3", "jiancha4", "jiancha5", "jiancha6")


def _strong_password() -> str:
    """16 characters with lower, upper, digits and a symbol (IA1)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(15))
        if (
            any(c.islower() for c in body)
            and any(c.isupper() for c in body)
            and any(c.isdigit() for c in body)
        ):
            return body + secrets.choice("@#%+=")


class Command(DomainCommand):
    help = "创建首个系统管理员账号（仅在系统中还没有任何账号时），并说明如何登录"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--demo-accounts",
            action="store_true",
            help="演示环境：另为其余每个角色各建一个账号（生产环境拒绝）",
        )

    def handle(self, *args: object, **options: object) -> None:
        users = get_user_model()
        note = settings.DATA_DIR / "initial-admin.txt"
        if options["demo_accounts"]:
            self._demo_accounts(note)
            return
        if not users.objects.exists():
            password = _strong_password()
            with transaction.atomic():
                admin = user_create(username=FIRST_ADMIN, password=password, actor=None)
                role_assign(user=admin, role="system_admin", actor=None)
            note.write_text(f"账号：{FIRST_ADMIN}\n初始密码：{password}\n")
            note.chmod(0o600)
            self.stdout.write(f"已创建首个管理员：账号 {FIRST_ADMIN}，初始密码 {password}")
            self.stdout.write(f"（密码另存于 {note}，仅本机可读；首次登录时须修改密码）")
        elif note.exists():
            self.stdout.write(f"首个管理员的账号和初始密码见 {note}")

    def _demo_accounts(self, note: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产环境不创建演示账号")
        users = get_user_model()
        if users.objects.filter(username__in=DEMO_ACCOUNTS).exists():
            return
        from laborcredit.inspections.services import inspector_add

        lines, more = [], []
        accounts = {**DEMO_ACCOUNTS, **{name: "inspector" for name in DEMO_ROSTER}}
        with transaction.atomic():
            for username, role in accounts.items():
                password = _strong_password()
                user = user_create(username=username, password=password, actor=None)
                role_assign(user=user, role=role, actor=None)
                line = f"{ROLES[role].label}：账号 {username}，初始密码 {password}"
                (lines if username in DEMO_ACCOUNTS else more).append(line)
            for username in DEMO_ROSTER:
                inspector_add(user=get_user_model().objects.get(username=username), actor="演示")
            portal = self._demo_employer_accounts()
        with note.open("a") as handle:
            handle.write("演示账号：\n" + "\n".join(lines + more + portal) + "\n")
        note.chmod(0o600)
        self.stdout.write("已创建演示账号（首次登录时须修改密码）：")
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            f"  另有监察员 {'、'.join(DEMO_ROSTER[1:])}（初始密码见 {note}）；"
            f"六名监察员均已列入日常巡视检查的监察员名册"
        )
        for line in portal:
            self.stdout.write(f"  {line}")

    @staticmethod
    def _demo_employer_accounts() -> list[str]:
        """第十八条: portal accounts for two demo employers — one C because of a penalty (it can
        object and follow its repair), one A — each with a one-time activation code."""
        from laborcredit.portal.services import employer_account_create
        from laborcredit.rating.models import EmployerGrade

        graded = EmployerGrade.objects.select_related("employer").order_by("employer_id")
        penalised = next(
            (
                g
                for g in graded.filter(grade="C")
                if any(e.get("rule") == "c_penalty_in_last_year" for e in g.basis)
            ),
            None,
        )
        chosen = [g for g in (penalised, graded.filter(grade="A").first()) if g is not None]
        lines = []
        for current in chosen:
            _, code = employer_account_create(employer=current.employer, actor=None)
            lines.append(
                f"用人单位门户 /portal/activate/：{current.employer.name}（{current.grade}级），"
                f"统一社会信用代码 {current.employer.uscc}，一次性激活码 {code}（14天内有效）"
            )
        return lines
