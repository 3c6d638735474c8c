"""`laborcredit bootstrap`: make a new installation usable (the first administrator).

The first account is a 系统管理员 (AC1: no superuser), who must change the
initial password at first login, then creates the 安全管理员 who assigns roles.
"""

from __future__ import annotations

import secrets
import string

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from laborcredit.accounts.services import role_assign, user_create
from laborcredit.lib.commands import DomainCommand

FIRST_ADMIN = "admin"


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

    def handle(self, *args: object, **options: object) -> None:
        users = get_user_model()
        note = settings.DATA_DIR / "initial-admin.txt"
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
