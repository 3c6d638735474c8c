"""`laborcredit push`: send the outbox to the city credit information sharing platform (第六条、
第二十条), once for a scheduler, or write it to a batch file where the platform takes files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError

from laborcredit.exchange.files import FORMATS, export_batch
from laborcredit.exchange.push import Config, Pusher
from laborcredit.lib.commands import DomainCommand


def not_configured(missing: list[str]) -> CommandError:
    return CommandError(
        f"推送平台尚未配置：请设置 {'、'.join(missing)}（或使用 --to-file 生成批量文件）",
        returncode=2,
    )


class Command(DomainCommand):
    help = "将推送队列发送至市信用信息共享平台（第六条、第二十条），或生成批量文件"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--once", action="store_true", help="只发送一批（默认发送到没有到期条目为止）"
        )
        parser.add_argument(
            "--to-file", metavar="目录", help="不调用平台接口，将待推送条目写成批量文件及清单"
        )
        parser.add_argument(
            "--format", choices=FORMATS, default="json", help="批量文件格式：json（默认）或 xlsx"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            self._push(options)
        except OSError as error:
            raise CommandError(f"无法写入批量文件：{error.strerror or error}") from None
        except (OperationalError, InterfaceError):
            raise CommandError(
                "数据库连接中断，本次推送未完成；已发送的条目已记录，请稍后重试"
            ) from None

    def _push(self, options):  # type: ignore[no-untyped-def]
        if options["to_file"]:
            batch = export_batch(directory=Path(options["to_file"]), format=options["format"])
            if batch is None:
                self.stdout.write("没有待推送的条目")
                return
            self.stdout.write(f"已写入 {batch.path}（{batch.items} 条，SHA-256 {batch.sha256}）")
            self.stdout.write(f"清单：{batch.manifest}")
            return
        config = Config.from_settings()
        if config.missing():
            raise not_configured(config.missing())
        result = Pusher(config).push_due(once=options["once"])
        self.stdout.write(
            f"本次推送：发送 {result.claimed} 条，成功 {result.sent} 条，"
            f"待重试 {result.retried} 条，失败停止重试 {result.failed} 条"
        )
        for line in result.errors[:20]:
            self.stderr.write(line)
        if result.claimed and not result.sent and getattr(self, "_called_from_command_line", False):
            raise SystemExit(1)  # the platform took nothing: the scheduler should notice
