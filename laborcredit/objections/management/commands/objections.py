"""`laborcredit objections overdue`: the objections past a deadline of 第二十条 (for a daily check)."""

from __future__ import annotations

from laborcredit.lib.commands import DomainCommand
from laborcredit.objections.selectors import objection_list


class Command(DomainCommand):
    help = "异议申请（第十九条、第二十条）：列出逾期未告知申请人或逾期未推送的异议"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True, metavar="overdue")
        sub.add_parser(
            "overdue",
            help="列出已过处理期限（3或10个工作日）未告知、或已过推送期限（5个工作日）未推送的异议；有则退出码为1",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        views = objection_list(overdue=True)
        for view in views:
            o = view.objection
            parts = [o.number, o.employer.uscc, o.employer.name, view.state_label]
            if view.overdue:
                parts.append(f"处理期限 {view.due.describe()}，{view.days_left_text}")
            if view.push_overdue:
                parts.append(f"推送期限 {view.push_due.describe()}，{view.push_days_left_text}")
            self.stdout.write("\t".join(parts))
        self.stderr.write(f"共 {len(views)} 件逾期异议")
        if views and getattr(self, "_called_from_command_line", False):
            raise SystemExit(1)
