"""How the staff pages name who did something: an employer's portal account, a command line or
a department's API reads as such, not as the account's internal name. One wording for every
page, the audit log's (`laborcredit.audit.events.actor_label`)."""

from __future__ import annotations

from django import template

from laborcredit.audit.events import actor_label as _actor_label

register = template.Library()


@register.filter
def actor_label(actor: str) -> str:
    return _actor_label(actor, empty="—")
