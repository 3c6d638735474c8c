"""Django's PostgreSQL backend, with a cheaper health check at the start of each request, and
a background job's connection without the web's bound on lock waits (laborcredit.lib.locks).

With CONN_HEALTH_CHECKS Django sends ``SELECT 1`` on a persistent connection before the first
query of every request, so that a connection the server has dropped (a restart, an
administrator's ``pg_terminate_backend``, a timeout) is replaced instead of failing the request.
For the API's grade lookup that is one round trip in four.

Between requests an idle connection should have nothing to read: PostgreSQL answers only what
it is asked. When the server ends a session it first sends a FATAL error message and then
closes the socket, and a reset from the network closes it too; either makes the socket
readable. So a socket that is not readable is as good as a ``SELECT 1`` that succeeds, and costs
a ``poll`` instead of a round trip. A readable socket, a connection that is not idle, or one
whose status is not good gets Django's own check. A network that silently drops packets is
not detected here, but neither is it by ``SELECT 1`` short of the TCP timeout.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base
from psycopg import pq

from laborcredit.lib.locks import unbounded_here


def quiet(connection: object) -> bool:
    """True if the psycopg connection is open, idle and has nothing waiting to be read."""
    try:
        pgconn = connection.pgconn  # type: ignore[attr-defined]
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except Exception:  # a closed or broken connection: let Django's check decide
        return False


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        """A background job's thread opens its connection without the web's bound on lock
        waits (laborcredit.lib.locks): the last ``-c`` of a setting is the one that counts."""
        params = super().get_connection_params()
        if unbounded_here() and "lock_timeout" in params.get("options", ""):
            params["options"] += " -c lock_timeout=0"
        return params

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
