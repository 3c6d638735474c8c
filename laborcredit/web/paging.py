"""Numbered pages of a long work list: the links of one list's pager, keeping the rest of the
query (the date asked for, another list's page) as it is."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(items: Any, number: Any, size: int) -> Page:
    """One page of `items` (a query or a list); a number that is not one, or is past the end,
    gives the nearest page."""
    return Paginator(items, size).get_page(number)


def pager(request: HttpRequest, page: Page, *, param: str = "page", anchor: str = "") -> dict:
    """What `web/_pager.html` shows: where this page is, and the links to the others."""
    kept = {name: value for name, value in request.GET.items() if name != param}

    def link(number: int) -> str:
        query = {**kept, **({param: str(number)} if number > 1 else {})}
        return "?" + urlencode(query) + (f"#{anchor}" if anchor else "")

    last = page.paginator.num_pages
    links: dict[str, Any] = {
        "number": page.number,
        "pages": last,
        "count": page.paginator.count,
        "per_page": page.paginator.per_page,
        "start": page.start_index(),
        "end": page.end_index(),
        "first": link(1) if page.number > 2 else "",
        "previous": link(page.number - 1) if page.has_previous() else "",
        "next": link(page.number + 1) if page.has_next() else "",
        "last": link(last) if page.number < last - 1 else "",
    }
    return links
