"""Screenshot of the console in a browser: `.venv/bin/python scripts/browser_screenshot.py`.

Runs `pextui serve demo` on loopback, opens it in headless Chromium (Debian's `chromium` and
`chromium-driver` packages, driven by Selenium) and writes screenshots/console-browser.png
once the roster has rendered. The `Browser` class is also what the browser tests drive.

The browser may reach loopback only: a proxy that does not exist for everything else, no
name resolution, no background services. What the page shows is read back from the very
bytes the page's terminal received: a recorder (injected by the test, not part of the
page) keeps every WebSocket frame, and pyte replays them on a screen of the terminal's size.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots" / "console-browser.png"
DEMO_PIN = re.compile(r"(?<!\d)1234(?!\d)|pin=", re.IGNORECASE)

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--proxy-server=http://127.0.0.1:9",  # anything not on loopback goes nowhere
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
)

# Keeps the terminal's bytes and sizes for the test; installed before the page's own scripts.
RECORDER = r"""
(function () {
  const Native = window.WebSocket;
  const log = { page: Math.random(), frames: [], sizes: [] };
  window.__pextuiRecorder = log;
  class Recording extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      const query = new URL(url).searchParams;
      log.sizes.push([+query.get("width"), +query.get("height")]);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") log.frames.push(new Uint8Array(event.data));
      });
    }
    send(data) {
      try {
        const message = JSON.parse(data);
        if (message[0] === "resize") log.sizes.push([message[1].width, message[1].height]);
      } catch (error) {}
      return super.send(data);
    }
  }
  window.WebSocket = Recording;
})();
"""

TAKE_FRAMES = r"""
const log = window.__pextuiRecorder;
if (!log) return null;
const frames = log.frames.splice(0);
let size = 0;
for (const frame of frames) size += frame.length;
const all = new Uint8Array(size);
let at = 0;
for (const frame of frames) { all.set(frame, at); at += frame.length; }
let text = "";
for (let i = 0; i < all.length; i += 16384) {
  text += String.fromCharCode.apply(null, all.subarray(i, i + 16384));
}
return [log.page, btoa(text), log.sizes];
"""

TERMINAL_BOX = r"""
const screen = document.querySelector(".xterm-screen");
if (!screen) return null;
const box = screen.getBoundingClientRect();
return [box.width, box.height, window.innerWidth, window.innerHeight];
"""

READ_CLIPBOARD = r"""
const done = arguments[arguments.length - 1];
navigator.clipboard.readText().then(done, (error) => done("ERROR " + error));
"""


def find_chromium() -> tuple[str, str] | None:
    """(chromium, chromedriver) from the system's packages, or None."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


class Browser:
    """Headless Chromium showing one page, and what its terminal shows as text."""

    def __init__(self, width: int = 1400, height: int = 900) -> None:
        import pyte
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        found = find_chromium()
        if found is None:
            raise RuntimeError("needs Debian's chromium and chromium-driver packages")
        os.environ.setdefault("SE_AVOID_STATS", "true")
        options = webdriver.ChromeOptions()
        options.binary_location = found[0]
        for flag in (*CHROMIUM_FLAGS, f"--window-size={width},{height}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(found[1]))
        self.driver.set_script_timeout(10)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        self._pyte = pyte
        self._page: float | None = None
        self._screen: Any = None
        self._stream: Any = None

    def close(self) -> None:
        self.driver.quit()

    def open(self, url: str) -> None:
        self.driver.get(url)

    @property
    def title(self) -> str:
        return str(self.driver.title)

    def screen_text(self) -> str:
        """The terminal's screen now, one line per row ('' before a terminal exists)."""
        taken = self.driver.execute_script(TAKE_FRAMES)
        if taken is None:
            return ""
        page, data, sizes = taken
        if not sizes:
            return ""
        columns, lines = sizes[-1]
        if page != self._page:
            self._page = page
            self._screen = self._pyte.Screen(columns, lines)
            self._stream = self._pyte.ByteStream(self._screen)
        elif (self._screen.columns, self._screen.lines) != (columns, lines):
            self._screen.resize(lines, columns)
        self._stream.feed(base64.b64decode(data))
        return "\n".join(self._screen.display)

    @property
    def size(self) -> tuple[int, int]:
        """(columns, lines) of the terminal as last sized."""
        return (self._screen.columns, self._screen.lines) if self._screen else (0, 0)

    def wait_for_text(self, predicate: Callable[[str], bool], limit_s: float = 60.0) -> str:
        deadline = time.monotonic() + limit_s
        text = self.screen_text()
        while not predicate(text):
            if time.monotonic() > deadline:
                raise AssertionError("the terminal never showed it; it shows:\n" + text)
            time.sleep(0.3)
            text = self.screen_text()
        return text

    def press(self, keys: str) -> None:
        """Type into the terminal (its input element has the focus, as after a click)."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)

    def terminal_box(self) -> tuple[float, float, float, float] | None:
        """(terminal width, height, window width, height) in CSS pixels."""
        box = self.driver.execute_script(TERMINAL_BOX)
        return None if box is None else tuple(box)

    def resize(self, width: int, height: int) -> None:
        self.driver.set_window_size(width, height)

    def allow_clipboard(self, origin: str) -> None:
        permissions = ["clipboardReadWrite", "clipboardSanitizedWrite"]
        self.driver.execute_cdp_cmd(
            "Browser.grantPermissions", {"origin": origin, "permissions": permissions}
        )

    def clipboard(self) -> str:
        return str(self.driver.execute_async_script(READ_CLIPBOARD))

    def page_errors(self) -> list[str]:
        """The page's console errors (a blocked script, a failed load, ...)."""
        entries = self.driver.get_log("browser")
        return [e["message"] for e in entries if e.get("level") == "SEVERE"]

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not self.driver.save_screenshot(str(path)):
            raise RuntimeError(f"the browser did not save {path}")


@contextmanager
def serve_demo(home: Path, *extra: str) -> Iterator[tuple[str, str, subprocess.Popen[str]]]:
    """`pextui serve demo --port 0` with a private home; yields (url, simulator url, process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEXTUI_", "XDG_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), PYTHONUNBUFFERED="1")
    env.update(XDG_STATE_HOME=str(home / "state"))
    process = subprocess.Popen(
        [sys.executable, "-m", "pextui", "serve", "demo", "--port", "0", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(3)]
    url = re.search(r"open (http://\S+/) ", lines[0])
    sim = re.search(r"simulator is at (http://\S+) ", lines[1])
    try:
        if url is None or sim is None:
            raise RuntimeError("pextui serve did not start: " + "".join(lines))
        yield url.group(1), sim.group(1), process
    finally:
        process.terminate()
        process.wait(30)


def sim_conference(sim_url: str, alias: str = "meet.demo") -> dict[str, Any]:
    with urllib.request.urlopen(f"{sim_url}/_sim/state", timeout=10) as response:
        state = json.load(response)
    return next(c for c in state["conferences"] if c["alias"] == alias)  # type: ignore[no-any-return]


def roster_shown(text: str) -> bool:
    return "Participants" in text and "Alice Johnson" in text and "╰" in text


def main() -> int:
    parser = argparse.ArgumentParser(description="Screenshot of `pextui serve demo` in Chromium.")
    parser.add_argument("--out", type=Path, default=OUT, help=f"PNG to write (default {OUT})")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args()
    if find_chromium() is None:
        print("needs chromium and chromium-driver: apt-get install chromium chromium-driver")
        return 1
    with tempfile.TemporaryDirectory() as home, serve_demo(Path(home)) as (url, _, _):
        browser = Browser(args.width, args.height)
        try:
            browser.open(url)
            browser.wait_for_text(roster_shown)
            time.sleep(1.0)  # the demo's first events land
            text = browser.screen_text()
            if DEMO_PIN.search(text):
                print("a PIN is on screen: no screenshot written")
                return 1
            browser.screenshot(args.out)
            if DEMO_PIN.search(browser.screen_text()):
                args.out.unlink()
                print("a PIN came on screen: the screenshot was removed")
                return 1
        finally:
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
