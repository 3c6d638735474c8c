"""PostgreSQL: Django's backend with a health check that needs no round trip while the
connection is quiet (base.py; settings.py selects it), and statements each session prepares once
(`SessionStatement`) for the queries run on every API call."""

from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass
from typing import Any

_PARAMETER = re.compile(r"%\((\w+)\)s")

# The driver connections (psycopg's) and the statements their sessions hold.
_PREPARED: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class SessionStatement:
    """A statement PostgreSQL parses and plans once per session instead of on every run.

    For statements run on every API call, where planning costs more than executing. `sql` is
    written with %(name)s parameters, as for Django's cursor; `types` gives each one's SQL type.
    The session prepares it with SQL's PREPARE (`prepare`) and runs it with EXECUTE
    (`execute_sql`, still bound on the client, so it can follow other statements in the same
    round trip). Its result columns should be named, not ``*``: a column a migration adds must
    not change the result of a statement prepared on a running server.

    psycopg's own prepared statements are not used: psycopg drops every prepared statement of
    the session (DEALLOCATE ALL) after any ROLLBACK when it holds some of its own.
    """

    name: str
    sql: str
    types: dict[str, str]

    @functools.cached_property
    def parameters(self) -> tuple[str, ...]:
        """The parameters in the order of their first use: $1, $2, …"""
        return tuple(dict.fromkeys(_PARAMETER.findall(self.sql)))

    @functools.cached_property
    def prepare_sql(self) -> str:
        number = {name: index for index, name in enumerate(self.parameters, start=1)}
        body = _PARAMETER.sub(lambda match: f"${number[match.group(1)]}", self.sql)
        types = ", ".join(self.types[name] for name in self.parameters)
        return f"PREPARE {self.name} ({types}) AS {body}"

    @functools.cached_property
    def execute_sql(self) -> str:
        return f"EXECUTE {self.name} ({', '.join(f'%({name})s' for name in self.parameters)})"

    def execute(
        self, cursor: Any, params: dict[str, Any], *, leading: str = "", trailing: str = ""
    ) -> None:
        """Run it through Django's `cursor`, preparing it first if this session lacks it;
        `leading` and `trailing`: statements sent with it in the same round trip. On another
        database (SQLite) the statement is simply run as written."""
        if cursor.db.vendor != "postgresql":
            cursor.execute(f"{leading}{self.sql}{trailing}", params)
            return
        self.prepare(cursor)
        try:
            cursor.execute(f"{leading}{self.execute_sql}{trailing}", params)
        except BaseException:
            # The session may have lost it (DEALLOCATE ALL, DISCARD ALL): look again next time.
            _PREPARED.get(cursor.db.connection, set()).discard(self.name)
            raise

    def prepare(self, cursor: Any) -> None:
        """Prepare it in the session of Django's `cursor`, unless the session holds it already.

        Once per session (Django opens a new one every CONN_MAX_AGE): a prepared statement lasts
        as long as its session, whatever becomes of the transaction it was made in.
        """
        held = _PREPARED.setdefault(cursor.db.connection, set())
        if self.name in held:
            return
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [self.name])
        if cursor.fetchone() is None:
            cursor.execute(self.prepare_sql)
        held.add(self.name)
