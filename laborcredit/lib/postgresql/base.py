"""Django's PostgreSQL backend, with a cheaper health check at the start of each request and
cursors whose statements the server prepares (`prepared_cursor`).

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
from django.utils.asyncio import async_unsafe
from psycopg import pq


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
        params = super().get_connection_params()
        if "prepare_threshold" not in self.settings_dict["OPTIONS"]:
            # Django turns psycopg's automatic preparing off (for transaction poolers such as
            # PgBouncer before 1.21). Its cursors bind on the client and never prepare; only
            # `prepared_cursor`'s do, from their first run. OPTIONS {"prepare_threshold": None}
            # turns it off again.
            params["prepare_threshold"] = 0
        return params

    @async_unsafe
    def prepared_cursor(self) -> Any:
        """A Django cursor (wrapped for errors, execute_wrappers and query logging) that binds
        parameters on the server, which then prepares each statement once per connection."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(base.ServerBindingCursor(self.connection))

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
