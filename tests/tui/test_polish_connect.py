"""The connect screen says which keys it has (F1 help, F2 recent) in its footer."""

from __future__ import annotations

from dialog_helpers import DialogHost
from textual.widgets import Footer

from pextui.config import RecentConference
from pextui.tui.screens.connect import ConnectScreen


async def test_connect_screen_shows_its_keys() -> None:
    recent = [RecentConference(node="http://127.0.0.1:9", alias="meet.demo")]
    app = DialogHost(ConnectScreen(recent=recent, connector=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = {(key.key, key.description) for key in footer.query("FooterKey")}
        assert footer.region.bottom == 24 and footer.region.width == 80
    assert ("f1", "Help") in keys, keys
    assert ("f2", "Recent") in keys, keys
