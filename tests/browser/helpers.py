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
