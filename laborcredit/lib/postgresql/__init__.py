"""Django's PostgreSQL backend with a health check that needs no round trip while the
connection is quiet, and prepared statements for the hottest queries (settings.py selects it
for every PostgreSQL database; see base.py)."""

from __future__ import annotations

from typing import Any


def prepared_cursor(connection: Any) -> Any:
    """``connection.cursor()``, except that on PostgreSQL the server prepares the statements
    run through it: parsed and planned once per connection instead of on every run.

    For statements run on every API call, where planning costs more than executing. Their
    parameters are bound by the server, so they must be one statement each and may not put a
    parameter where PostgreSQL takes none (``SET``, ``LIMIT ALL``); their result columns should
    be named, not ``*``, so that a column added by a migration cannot change a prepared
    statement's result type under a running server.
    """
    make = getattr(connection, "prepared_cursor", None)
    return make() if make is not None else connection.cursor()
