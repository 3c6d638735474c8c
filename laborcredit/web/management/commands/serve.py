"""`laborcredit serve`: the production web server (gunicorn) on this machine."""

from __future__ import annotations

import os
import socket
import sys

from django.core.management.base import CommandError

from laborcredit.lib.commands import DomainCommand
from laborcredit.lib.locks import WEB_TIMEOUT_SECONDS


class Command(DomainCommand):
    help = "以 gunicorn 启动 Web 服务"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default=os.environ.get("LABORCREDIT_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))

    def handle(self, *args: object, **options: object) -> None:
        host, port = str(options["host"]), int(options["port"])  # type: ignore[call-overload]
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                raise CommandError(
                    f"端口 {port} 已被占用或地址 {host} 不可用；可换一个端口，例如 PORT={port + 1} scripts/start"
                ) from None
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "laborcredit.wsgi",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--timeout",  # above the requests' bound on lock waits (laborcredit.lib.locks)
            str(WEB_TIMEOUT_SECONDS),
            # Threads: a request that waits (for a lock, up to LOCK_WAIT_SECONDS) holds one thread,
            # not a whole process; with one request per process, two such requests held every
            # page of the site (docs/performance.md, 第十五轮). The lookup benchmark runs the same.
            "--worker-class",
            "laborcredit.web.server.ThreadWorker",  # gunicorn's own error pages in Chinese
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
        ]
        self.stdout.write(
            f"系统地址：http://{options['host']}:{options['port']}/  （按 Ctrl+C 停止）"
        )
        self.stdout.flush()
        os.execv(sys.executable, argv)
