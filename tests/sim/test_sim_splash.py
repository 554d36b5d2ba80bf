"""Splash screens in the simulator (`--splash-screens`): the theme, its background image, and
`splash_screen` events to whoever waits for the host or is alone, cleared when that ends."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from pextui.sim.server import SimServer
from pextui.sim.splash import TEXTS, WAITING, WELCOME
from tests.sim.sim_helpers import API, fast_config, join, reading, wait_until


@pytest.fixture
def themed() -> Iterator[httpx.Client]:
    with (
        SimServer(fast_config(theme=True)) as server,
        httpx.Client(base_url=server.base_url, timeout=5.0) as http,
    ):
        yield http


def test_the_theme_lists_the_five_direct_media_screens(themed: httpx.Client) -> None:
    host = join(themed, "meet.board", "Hanna", pin="1234")
    answer = host.get("theme/")
    assert answer.status_code == 200
    screens = answer.json()["result"]
    assert set(screens) == set(TEXTS)
    welcome = screens[WELCOME]
    assert welcome["layout_type"] == "direct_media"
    assert welcome["elements"] == [{"type": "text", "color": 0xFFFFFF, "text": TEXTS[WELCOME]}]
    assert welcome["background"]["path"] == "background.jpg"


def test_the_background_image_needs_the_token(themed: httpx.Client) -> None:
    host = join(themed, "meet.board", "Hanna", pin="1234")
    url = API + "meet.board/theme/background.jpg"
    assert themed.get(url).status_code == 403
    by_query = themed.get(url, params={"token": host.token})
    by_header = host.get("theme/background.jpg")
    for answer in (by_query, by_header):
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(by_query.content)) as image:
        assert image.format == "JPEG" and image.size == (640, 360)
    assert host.get("theme/other.jpg").status_code == 404


def test_without_the_option_there_is_no_theme_and_no_splash(client: httpx.Client) -> None:
    host = join(client, "meet.board", "Hanna", pin="1234")
    assert host.get("theme/").status_code == 204
    assert host.get("theme/background.jpg").status_code == 404
    with reading(client, "meet.board", host.token) as events:
        join(client, "meet.board", "Gert", pin="5678")
        events.wait_for("participant_create", lambda p: p["display_name"] == "Gert")
        assert "splash_screen" not in events.names()


def test_alone_shows_the_welcome_until_someone_joins(themed: httpx.Client) -> None:
    host = join(themed, "meet.board", "Hanna", pin="1234")
    with reading(themed, "meet.board", host.token) as events:
        shown = events.wait_for("splash_screen", lambda data: data is not None)
        assert shown == {"screen_key": WELCOME, "display_duration": 15.0}
        names = events.names()
        assert names.index("splash_screen") > names.index("participant_sync_end")
        join(themed, "meet.board", "Gert", pin="5678")
        events.wait_for("splash_screen", lambda data: data is None)
        guest = next(p for p in host.get("participants").json()["result"] if p["role"] != "chair")
        assert host.act(f"participants/{guest['uuid']}/disconnect") is True
        wait_until(lambda: len(events.of("splash_screen")) == 3, what="the welcome again")
        assert events.of("splash_screen")[-1].json()["screen_key"] == WELCOME


def test_a_guest_in_the_waiting_room_waits_for_the_host(themed: httpx.Client) -> None:
    host = join(themed, "meet.board", "Hanna", pin="1234")
    assert host.act("lock") is True
    guest = join(themed, "meet.board", "Gert", pin="5678")
    assert guest.result["current_service_type"] == "waiting_room"
    with reading(themed, "meet.board", guest.token) as events:
        shown = events.wait_for("splash_screen")
        assert shown["screen_key"] == WAITING
        assert host.act(f"participants/{guest.uuid}/unlock") is True
        events.wait_for("splash_screen", lambda data: data is None)
    # a stream opened after the admission starts without a splash screen
    with reading(themed, "meet.board", guest.token) as again:
        host.act("message", json={"type": "text/plain", "payload": "after"})
        again.wait_for("message_received", lambda m: m["payload"] == "after")
        assert "splash_screen" not in again.names()
