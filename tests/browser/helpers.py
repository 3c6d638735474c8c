"""Screenshots of the main pages (test artefacts), and the 1366×768 check made on each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def fits_the_screen(page: Any) -> bool:
    """Usable at 1366×768: the page needs no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shoot(page: Any, name: str) -> Path:
    """A full-page PNG in artifacts/screenshots/<name>.png, kept as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert fits_the_screen(page), f"{name}：在 1366×768 下需要横向滚动"
    return path


# ---------------------------------------------------------------- checks made on every main page

# Roles a user operates (ARIA); each must carry an accessible name (WCAG 4.1.2, 1.3.1).
CONTROL_ROLES = frozenset(
    {"textbox", "searchbox", "combobox", "listbox", "checkbox", "radio", "button",
     "spinbutton", "slider", "switch", "Date", "DateTime", "InputTime", "date", "time"}
)  # fmt: skip


def level_one_headings(page: Any) -> list[str]:
    """The page's <h1> texts: a page has exactly one."""
    return [text.strip() for text in page.locator("h1").all_inner_texts()]


def unnamed_controls(page: Any) -> list[str]:
    """Form controls without an accessible name, as Chromium's accessibility tree computes it."""
    cdp = page.context.new_cdp_session(page)
    try:
        nameless = []
        for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
            role = (node.get("role") or {}).get("value")
            if node.get("ignored") or role not in CONTROL_ROLES:
                continue
            if str((node.get("name") or {}).get("value") or "").strip():
                continue
            described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})
            flat = described["node"].get("attributes", [])
            attributes = " ".join(f'{k}="{v}"' for k, v in zip(flat[::2], flat[1::2], strict=True))
            nameless.append(f"<{described['node']['localName']} {attributes}>（{role}）")
    finally:
        cdp.detach()
    # Chromium names a file input by its own button text ("Choose File"): ask for a label too.
    nameless += page.eval_on_selector_all(
        "input[type=file]",
        """inputs => inputs.filter(i => !(i.labels.length || i.getAttribute('aria-label')
                                          || i.getAttribute('aria-labelledby')))
                        .map(i => i.outerHTML + '（file）')""",
    )
    return nameless


def menu_by_keyboard(page: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """The visible main-menu links, and the main-menu links that Tab reaches from the top of the
    masthead (its brand link) until focus leaves the masthead: each one's text and whether its
    focus is drawn (an outline)."""
    menu = page.get_by_role("navigation", name="主菜单")
    visible = [
        link.inner_text().strip() for link in menu.get_by_role("link").all() if link.is_visible()
    ]
    page.locator(".masthead .brand").focus()
    stops: list[dict[str, Any]] = []
    for _ in range(len(visible) + 12):  # the account links and the logout button come first
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => {
                const a = document.activeElement;
                const style = getComputedStyle(a);
                return {masthead: !!a.closest('header.masthead'),
                        in_menu: !!a.closest('nav.nav-main'), text: a.textContent.trim(),
                        outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};
            }"""
        )
        if not stop.pop("masthead"):
            break
        if stop.pop("in_menu"):
            stops.append(stop)
    return visible, stops


def check_page(page: Any, name: str) -> Path:
    """One main page: its screenshot (fits 1366 px), one <h1>, every control named, and the
    main menu reachable by Tab, each link showing its focus."""
    path = shoot(page, name)
    assert len(level_one_headings(page)) == 1, (
        f"{name}：应有且只有一个一级标题，实有 {level_one_headings(page)}"
    )
    nameless = unnamed_controls(page)
    assert nameless == [], f"{name}：表单控件缺少可访问名称（标签）：{nameless}"
    visible, stops = menu_by_keyboard(page)
    assert visible, f"{name}：主菜单没有可见的链接"
    assert [s["text"] for s in stops] == visible, f"{name}：Tab 键未依次到达主菜单各链接：{stops}"
    assert all(s["outlined"] for s in stops), f"{name}：主菜单链接获得焦点时无可见的焦点框：{stops}"
    return path
