"""A small page object for the console in Playwright: waits on elements and Streamlit's run state,
never on fixed sleeps."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

RUNNING_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'running';
}"""
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def exact(name: str) -> re.Pattern[str]:
    """A button's accessible name ends with its label (icons come first as ligature text)."""
    return re.compile(rf"(^|\W){re.escape(name)}$")


class ConsolePage:
    def __init__(self, page: Any, url: str, shots: Path) -> None:
        self.page = page
        self.url = url
        self.shots = shots

    # ---- waiting ---------------------------------------------------------------------------
    def idle(self, timeout: float = 30_000) -> None:
        self.page.wait_for_function(IDLE_JS, timeout=timeout)

    def settle(self) -> None:
        """After an action: wait for the rerun it causes to start (if it has not already), then end."""
        with contextlib.suppress(PlaywrightTimeout):  # a run that already ended is fine too
            self.page.wait_for_function(RUNNING_JS, timeout=1_500, polling=10)
        self.idle()

    def see(self, text: str, timeout: float = 30_000) -> Any:
        locator = self.page.get_by_text(text).first
        locator.wait_for(state="visible", timeout=timeout)
        return locator

    def charts(self, timeout: float = 30_000) -> None:
        """Wait until every Altair chart in view has drawn (vega-embed puts a canvas or an SVG in)."""
        self.page.wait_for_function(
            """() => {
              const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"], .vega-embed')]
                .filter(c => c.getBoundingClientRect().height > 0);
              return charts.length > 0 && charts.every(c => c.querySelector('canvas, svg'));
            }""",
            timeout=timeout,
        )

    def scroll_to(self, text: str) -> None:
        """Bring a heading (or any text) to the top of the viewport for a screenshot."""
        locator = self.see(text)
        locator.evaluate("el => el.scrollIntoView({block: 'start'})")
        self.idle()

    def body(self) -> str:
        return self.page.locator("body").inner_text()

    # ---- navigation ------------------------------------------------------------------------
    def open(self, query: str = "") -> None:
        self.page.goto(self.url + query)
        self.page.get_by_role("tab", name="Client Intake", exact=True).wait_for()
        self.idle()

    def tab(self, label: str, expect: str | None = None) -> None:
        self.page.get_by_role("tab", name=label, exact=True).click()
        self.settle()
        panel = self.page.get_by_role("tabpanel").filter(has_text=expect or "API").first
        panel.wait_for(state="visible")
        self.idle()

    def subtab(self, label: str) -> None:
        """A view inside a tab (Preview, Structured, Edit, History & diff)."""
        self.page.get_by_role("tab", name=label, exact=True).click()
        self.settle()

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=exact(name)).first.click()

    def fill(self, label: str, value: str) -> None:
        box = self.page.get_by_label(label, exact=True).first
        box.fill(value)
        box.blur()
        self.settle()

    def choose(self, label: str, option: str, attempts: int = 3) -> None:
        """Pick `option` in the select labelled `label`; a rerun that redraws the select while its
        list is open (Streamlit after an upload) closes the list, so it is opened again."""
        for attempt in range(attempts):
            box = self.page.get_by_label(label, exact=True).first
            box.click()
            if box.get_attribute("aria-expanded") != "true":
                box.press("ArrowDown")  # open the list from the keyboard when a click only focused it
            choice = self.page.get_by_role("option", name=option, exact=True)
            try:
                choice.click(timeout=10_000)
                break
            except PlaywrightTimeout:
                if attempt == attempts - 1:
                    raise
                self.page.keyboard.press("Escape")
                self.settle()
        self.settle()

    # ---- evidence --------------------------------------------------------------------------
    def shot(self, name: str) -> Path:
        self.idle()
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def assert_clean(self) -> None:
        """No Streamlit exception element and no traceback text on the page."""
        assert self.page.locator('[data-testid="stException"]').count() == 0
        text = self.body()
        assert "Traceback" not in text and 'File "' not in text
