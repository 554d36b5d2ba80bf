"""`pextui serve demo` in a real browser: headless Chromium from the system's packages.

Driven by Selenium with the distribution's chromedriver (scripts/browser_screenshot.py's
`Browser`). Checked: the page title, the roster on the terminal, the terminal filling the
window and following a resize, a key (L: lock) reaching the simulator, copying an invite
link to the browser's clipboard, the token released when the tab goes away, and a wrong
secret getting no console. Skipped where Chromium is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from serve_helpers import SECRET, Served, serving

ROOT = Path(__file__).resolve().parents[2]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pextui_browser_screenshot", ROOT / "scripts" / "browser_screenshot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shots = load_script()
# CI sets PEXTUI_REQUIRE_BROWSER=1: there a missing Chromium fails instead of skipping.
MISSING = shots.find_chromium() is None and not os.environ.get("PEXTUI_REQUIRE_BROWSER")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(MISSING, reason="needs chromium + chromium-driver (Debian packages)"),
    pytest.mark.timeout(240),
]


@pytest.fixture
def browser() -> Iterator[object]:
    if not os.environ.get("PEXTUI_REQUIRE_BROWSER"):
        pytest.importorskip("selenium")
        pytest.importorskip("pyte")
    chromium = shots.Browser(1280, 800)
    try:
        yield chromium
    finally:
        chromium.close()


def until(predicate: object, limit_s: float = 30.0) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.3)
    return False


def quiet_roster_shown(text: str) -> bool:
    return "Participants" in text and "Ada Kowalski" in text and "╰" in text


def sim_state(served: Served) -> dict[str, object]:
    assert served.sim_url is not None
    state: dict[str, object] = httpx.get(f"{served.sim_url}/_sim/state", timeout=10).json()
    return state


def locked(served: Served) -> bool:
    assert served.sim_url is not None
    return bool(shots.sim_conference(served.sim_url)["status"]["locked"])


def test_the_console_in_chromium(tmp_path: Path, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    b: shots.Browser = browser  # type: ignore[name-defined]
    # The quiet scenario: nothing locks or unlocks the meeting but the host's keys.
    with serving(tmp_path, "demo", "--scenario", "quiet") as served:
        b.allow_clipboard(served.origin)
        b.open(served.url)
        assert b.title == "meet.demo (demo) · pextui"
        text = b.wait_for_text(quiet_roster_shown)
        assert "Participants 13" in text  # --participants 12, and the host
        (row,) = [line for line in text.splitlines() if "Ada Kowalski" in line]
        assert "guest" in row and "h323" in row

        # The terminal fills the window (to within one cell) and follows a resize.
        box = b.terminal_box()
        assert box is not None
        width, height, window_w, window_h = box
        columns, lines = b.size
        assert window_w - width < width / columns + 1 and window_h - height < height / lines + 1
        b.resize(900, 600)
        assert until(lambda: b.screen_text() and b.size[0] < columns)
        # Laid out again at the new width: the panels' right border is in the last column.
        narrow = b.wait_for_text(
            lambda t: any(
                line.rstrip().endswith("╮") and len(line.rstrip()) == b.size[0]
                for line in t.splitlines()
            )
        )
        assert max(len(line.rstrip()) for line in narrow.splitlines()) <= b.size[0]
        new_w, _, new_window_w, _ = b.terminal_box()
        assert new_window_w < window_w and new_window_w - new_w < new_w / b.size[0] + 1

        # A key press reaches the simulator: L locks the conference.
        assert not locked(served)
        b.press("L")
        assert until(lambda: locked(served)), "L did not lock the conference"
        b.wait_for_text(lambda t: "locked" in t.splitlines()[1] and "unlocked" not in t)
        b.press("L")
        assert until(lambda: not locked(served)), "L again did not unlock the conference"
        b.wait_for_text(lambda t: "unlocked" in t.splitlines()[1])

        # ctrl+p reaches the console too (the browser's print dialog does not open).
        b.press(Keys.CONTROL + "p")
        b.wait_for_text(lambda t: "Search for commands" in t)
        b.press(Keys.ESCAPE)
        b.wait_for_text(lambda t: "Search for commands" not in t)

        # i: invite links; 1: copy the guest link. It lands on the browser's clipboard.
        b.press("i")
        b.wait_for_text(lambda t: "Invite links" in t)
        b.press("1")
        assert until(lambda: "meet.demo" in b.clipboard())
        link = b.clipboard()
        assert link.startswith(served.sim_url or "-") and "role=guest" in link

        assert b.page_errors() == []  # nothing blocked by the CSP, nothing failed to load
        b.screenshot(tmp_path / "console.png")
        assert (tmp_path / "console.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        # ctrl+q: the console leaves the meeting (its token is released) and quits; the page
        # says so. (Closing the tab does the same: see the next test.)
        assert sim_state(served)["tokens"] == 1
        b.press(Keys.CONTROL + "q")
        ended = b.driver.find_element(By.ID, "ended")
        assert until(lambda: ended.is_displayed())
        assert "The console has ended" in ended.text
        assert until(lambda: sim_state(served)["tokens"] == 0)


def test_a_wrong_secret_gets_no_console(tmp_path: Path, browser: object) -> None:
    from selenium.webdriver.common.by import By

    b: shots.Browser = browser  # type: ignore[name-defined]
    with serving(tmp_path, "demo", secret=SECRET) as served:
        b.open(served.url)
        assert b.title == "pextui: sign in"
        b.driver.find_element(By.ID, "secret").send_keys("a-wrong-secret-of-some-length")
        b.driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        assert until(lambda: "not the secret" in b.driver.page_source)
        assert not b.driver.find_elements(By.CSS_SELECTOR, ".xterm-screen")
        assert b.screen_text() == ""  # no terminal, no bytes
        assert sim_state(served)["tokens"] == 0
        assert "meet.demo" not in b.driver.page_source

        b.driver.find_element(By.ID, "secret").send_keys(SECRET)
        b.driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        b.wait_for_text(shots.roster_shown)
        assert b.driver.current_url == served.url  # no secret in the address bar
        assert sim_state(served)["tokens"] == 1
        b.open("about:blank")  # the tab leaves the page: its console leaves the meeting
        assert until(lambda: sim_state(served)["tokens"] == 0)
