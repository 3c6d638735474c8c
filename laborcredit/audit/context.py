"""Who is acting (AU2: user, role, source address, request id), for every audit entry.

The web sets it per request (`AuditContextMiddleware`); commands, the importer
and workers use `acting_as`. With neither, the actor is the operating-system
user of the command line, "cli:<name>" from "local", so nothing is ever
written without an actor.
"""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    actor: str  # username; "" for the system itself
    role: str = ""
    address: str = ""
    request_id: str = ""


_current: ContextVar[AuditContext | Callable[[], AuditContext] | None] = ContextVar(
    "laborcredit_audit_context", default=None
)

# One command-line invocation is one "request".
_PROCESS_REQUEST_ID = uuid.uuid4().hex


def new_request_id() -> str:
    return uuid.uuid4().hex


def command_line_actor() -> str:
    """The person at the command line: LABORCREDIT_ACTOR, else who ran sudo, else the OS user."""
    name = os.environ.get("LABORCREDIT_ACTOR") or os.environ.get("SUDO_USER") or ""
    if not name:
        try:
            name = getpass.getuser()
        except Exception:
            name = "unknown"
    return f"cli:{name}"


def command_line_context() -> AuditContext:
    return AuditContext(
        actor=command_line_actor(), role="", address="local", request_id=_PROCESS_REQUEST_ID
    )


def current_context() -> AuditContext:
    value = _current.get()
    if value is None:
        return command_line_context()
    if isinstance(value, AuditContext):
        return value
    return value()


@contextmanager
def acting_as(
    *, actor: str, role: str = "", address: str = "", request_id: str | None = None
) -> Iterator[AuditContext]:
    """Audit entries written inside the block name this actor.

    Without a request id, one enclosing `acting_as` or web request lends its
    own (the same request, another hat); otherwise a new one is made.
    """
    if request_id is None:
        outer = _current.get()
        request_id = current_context().request_id if outer is not None else new_request_id()
    context = AuditContext(actor=actor, role=role, address=address, request_id=request_id)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def resolved_by(resolver: Callable[[], AuditContext]) -> Iterator[None]:
    """The context is computed when an entry is written (the web: the user may log in meanwhile)."""
    token = _current.set(resolver)
    try:
        yield
    finally:
        _current.reset(token)
