"""The stylesheets: every one a .tcss file under styles/, no rule written twice, DEFAULT_CSS
only in reusable widgets, every screen loading its area's file with CSS_PATH."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from textual.app import App
from textual.css.stylesheet import Stylesheet

from pextui.tui import stylesheets
from pextui.tui.app import PextuiApp
from pextui.tui.forms import FormDialog
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.connect import ConnectScreen
from pextui.tui.screens.help import HelpScreen
from pextui.tui.screens.invite import InviteDialog

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "styles").glob("*.tcss"))
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def rules() -> list[tuple[str, str, frozenset[str]]]:
    """(file, selector, declarations) of every rule in styles/."""
    found = []
    for path in FILES:
        text = COMMENT.sub("", path.read_text(encoding="utf-8"))
        for selectors, body in RULE.findall(text):
            declarations = frozenset(d.strip() for d in body.split(";") if d.strip())
            for selector in selectors.split(","):
                found.append((path.name, " ".join(selector.split()), declarations))
    return found


def test_one_file_per_area_and_the_package_finds_them() -> None:
    names = ["app.tcss", "conference.tcss", "connect.tcss", "dialogs.tcss", "phone.tcss"]
    assert [p.name for p in FILES] == names
    assert stylesheets.STYLES.resolve() == (ROOT / "styles").resolve()
    areas = (stylesheets.CONFERENCE, stylesheets.CONNECT, stylesheets.DIALOGS, stylesheets.PHONE)
    for path in (stylesheets.APP, *areas):
        assert path.is_file(), path


def test_every_stylesheet_parses() -> None:
    sheet = Stylesheet(variables=App().get_css_variables())
    for path in FILES:
        sheet.read(path)
    sheet.parse()
    assert sheet.rules


def test_no_selector_and_no_declaration_block_written_twice() -> None:
    found = rules()
    selectors = Counter(selector for _, selector, _ in found)
    assert [s for s, n in selectors.items() if n > 1] == []
    blocks = Counter(declarations for _, _, declarations in found if len(declarations) > 2)
    twice = [sorted(block) for block, n in blocks.items() if n > 1]
    # A rule listed with several selectors counts once per selector: only separate rules
    # with the same declarations are duplicates.
    grouped = Counter(
        body
        for path in FILES
        for _, body in RULE.findall(COMMENT.sub("", path.read_text(encoding="utf-8")))
        if len([d for d in body.split(";") if d.strip()]) > 2
    )
    assert [body for body, n in grouped.items() if n > 1] == [], twice


def test_default_css_only_in_reusable_widgets() -> None:
    users = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "pextui").rglob("*.py")
        if "DEFAULT_CSS" in path.read_text(encoding="utf-8")
    )
    assert users, "the widgets keep theirs"
    assert all(path.startswith("pextui/tui/widgets/") for path in users), users


def test_screens_load_their_area_with_css_path() -> None:
    assert PextuiApp.CSS_PATH == stylesheets.APP_CSS
    assert ConferenceScreen.CSS_PATH == stylesheets.CONFERENCE_CSS
    assert ConnectScreen.CSS_PATH == stylesheets.CONNECT_CSS
    for dialog in (FormDialog, ConfirmScreen, HelpScreen, InviteDialog):
        assert dialog.CSS_PATH == stylesheets.DIALOG_CSS, dialog
        assert "dialog" in dialog.DEFAULT_CLASSES.split(), dialog
