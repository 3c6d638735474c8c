"""`laborcredit worker`: send the outbox continuously (第六条、第二十条); survives a database restart."""

from __future__ import annotations

import signal
import threading

from laborcredit.exchange.management.commands.push import not_configured
from laborcredit.exchange.push import Config, Pusher
from laborcredit.lib.commands import DomainCommand


class Command(DomainCommand):
    help = "持续发送推送队列至市信用信息共享平台，直至收到停止信号（第六条、第二十条）"

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        config = Config.from_settings()
        if config.missing():
            raise not_configured(config.missing())
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(f"推送任务已启动：{config.url}，每批最多 {config.batch_size} 条")
        Pusher(config).run(stop=stop, sleep=stop.wait, report=self.stdout.write)
        self.stdout.write("推送任务已停止")
