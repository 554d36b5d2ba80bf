"""scripts/screenshots.py refuses to write an SVG that shows a PIN or a token.

The check runs on real exported screenshots of a small Textual app; the full regeneration
(about 15 s against the simulator) is marked slow.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "screenshots.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pextui_screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Label(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, markup=False)


async def export(text: str) -> str:
    app = Label(text)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        return app.export_screenshot(title="check")


async def test_visible_text_is_read_back_from_the_svg() -> None:
    script = load_script()
    svg = await export("Demo Meeting <meet.demo> & co")
    assert "Demo Meeting <meet.demo> & co" in script.svg_text(svg)


@pytest.mark.parametrize(
    "text",
    ["PIN 1234 for the host", "guest PIN: 5678", "events?token=abc", "tok-9f8e7d6c5b4a"],
)
async def test_a_pin_or_token_on_screen_is_refused(text: str) -> None:
    script = load_script()
    svg = await export(text)
    with pytest.raises(script.SecretInScreenshot):
        script.check_secrets("shot", svg, {"1234", "5678", "tok-9f8e7d6c5b4a"})


async def test_a_screen_without_secrets_passes() -> None:
    script = load_script()
    svg = await export("PIN •••• · meeting 12:34")
    script.check_secrets("shot", svg, {"1234", "5678", "tok-9f8e7d6c5b4a"})


@pytest.mark.slow
def test_the_script_regenerates_every_screenshot(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = sorted(path.name for path in tmp_path.glob("*.svg"))
    assert names == [
        "conference-80x24.svg",
        "conference.svg",
        "connect.svg",
        "help.svg",
        "transfer.svg",
    ]
    script = load_script()
    for path in tmp_path.glob("*.svg"):
        script.check_secrets(path.name, path.read_text(encoding="utf-8"), {"1234", "5678"})
