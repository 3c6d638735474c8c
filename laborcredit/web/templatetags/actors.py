"""How the staff pages name who did something: an employer's portal account or a command line
reads as such, not as the account's internal name."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def actor_label(actor: str) -> str:
    actor = str(actor or "")
    if actor.startswith("employer:"):
        return f"用人单位（门户账号 {actor.removeprefix('employer:')}）"
    if actor.startswith("cli:"):
        return f"命令行（{actor.removeprefix('cli:')}）"
    if actor.startswith("api:"):
        return f"数据接口（{actor.removeprefix('api:')}）"
    return actor or "—"
