"""Captions, slides and the rest of the host panel, driven with Pilot against the simulator."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select

from pextui.sim.dispatch import Function
from pextui.sim.http import ok
from pextui.sim.routes_conference import CONFERENCE
from pextui.sim.server import SimServer
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.dial import DialDialog
from pextui.tui.screens.fecc import FeccDialog
from pextui.tui.widgets.captions import CaptionsLine
from pextui.tui.widgets.slides import SlidesPane
from tests.tui.console_helpers import ALIAS, running_console, sim_conference, sim_config


def said(sim: SimServer, uuid: str, words: str, final: bool) -> None:
    """The simulator's captioner sends `words` as spoken by `uuid`."""
    conference = sim.node.conferences[ALIAS]
    sim.run_on_loop(lambda: sim.node.captioner.send(conference, uuid, words.split(), final))


async def test_captions_line_and_transcript(
    simulator: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    async with running_console(simulator, ("Alice",)) as console:
        line = console.screen.query_one(CaptionsLine)
        assert not line.display
        await console.press("C")
        host = console.app.session
        assert host is not None
        await console.until(
            lambda: sim_conference(simulator)["caption_viewers"] == [host.participant_uuid],
            "captions asked for",
        )
        assert line.display and "waiting for someone" in line.render().plain
        alice = console.uuid("Alice")
        said(simulator, alice, "Thanks every", False)
        await console.until(lambda: "Alice: Thanks every" in line.render().plain, "interim")
        said(simulator, alice, "Thanks everyone [b]for[/b] coming", True)
        await console.until(
            lambda: "Alice: Thanks everyone [b]for[/b] coming" in line.render().plain, "final"
        )
        # the speaker's words are real audio in Pexip: here a live sentence from the captioner
        conference = simulator.node.conferences[ALIAS]
        simulator.run_on_loop(lambda: conference.set_stage([alice], speaking=alice))
        await console.until(lambda: len(console.app.store.captions) >= 2, "a spoken caption")
        await console.press("K")
        saved = list((tmp_path / "state").rglob("pextui-captions-*.txt"))
        assert len(saved) == 1
        assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600
        assert "Alice: Thanks everyone [b]for[/b] coming" in saved[0].read_text()
        await console.press("C")
        await console.until(lambda: sim_conference(simulator)["caption_viewers"] == [], "off")
        assert not line.display


@pytest.fixture
def presenting(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PEXTUI_IMAGE", "halfcell")
    config = sim_config()
    config.timings.frame_interval = 0.2
    with SimServer(config) as server:
        yield server


async def test_slides_pane_fetches_only_while_shown(presenting: SimServer) -> None:
    sim = presenting
    async with running_console(sim, ("Alice",)) as console:
        alice = console.guests["Alice"]
        await alice.take_floor(alice.participant_uuid)
        await console.until(lambda: sim_conference(sim)["frame_id"] >= 2, "frames announced")
        assert sim_conference(sim)["frames_served"] == 0  # hidden: nothing fetched
        await console.press("w")
        pane = console.screen.query_one(SlidesPane)
        image = pane.query_one("#slide")
        await console.until(lambda: image.image is not None, "a frame drawn")  # type: ignore[attr-defined]
        await console.until(lambda: sim_conference(sim)["frames_served"] >= 2, "frames follow")
        caption = str(pane.query_one("#slide-caption").render())
        assert "Alice presents" in caption
        fetcher = console.screen.panel.fetcher
        assert fetcher is not None and fetcher.started >= 2
        await console.press("W")
        assert pane.has_class("-large")
        await console.press("w")
        served = sim_conference(sim)["frames_served"]
        frame = sim_conference(sim)["frame_id"]
        await console.until(lambda: sim_conference(sim)["frame_id"] >= frame + 3, "more frames")
        assert sim_conference(sim)["frames_served"] <= served + 1  # at most one in flight
        assert not pane.has_class("-on")


async def test_camera_hand_mix_unmute_and_silent_video(simulator: SimServer) -> None:
    async with running_console(simulator, ("Alice",)) as console:
        alice = console.uuid("Alice")
        host = console.app.session
        assert host is not None
        # dial out to a SIP endpoint: its camera can be controlled
        (sip,) = await host.dial("room.kit@example.com", remote_display_name="Room Kit")
        await console.until(lambda: sip in console.app.store.roster, "the endpoint")
        console.screen.go_to_participant(sip)
        await console.until(lambda: console.roster.cursor_uuid == sip, "cursor on it")
        await console.press("z")
        await console.until(lambda: isinstance(console.app.screen, FeccDialog), "camera")
        await console.press("left", "plus")
        dialog = console.app.screen
        assert isinstance(dialog, FeccDialog)
        await console.until(
            lambda: "zoom in" in str(dialog.query_one("#fecc-status").render()), "zoomed"
        )
        assert dialog.sent == [("pan", "left"), ("zoom", "in")]
        await console.press("escape")
        # a WebRTC guest's camera cannot be steered
        await console.cursor_on("Alice")
        await console.press("z")
        assert not isinstance(console.app.screen, FeccDialog)
        # u raises Alice's hand; P puts the presentation in her mix
        await console.press("u")
        await console.until(lambda: console.participant("Alice")["buzz_time"] > 0, "hand up")
        await console.press("P")
        await console.until(
            lambda: console.participant("Alice")["needs_presentation_in_mix"], "pres in mix"
        )
        # U: guests may not unmute themselves; V: silent video detection off
        await console.press("U")
        await console.until(
            lambda: sim_conference(simulator)["status"]["guests_can_unmute"] is False, "U"
        )
        await console.press("V")
        conference = simulator.node.conferences[ALIAS]
        await console.until(lambda: conference.silent_video.get("enable") is False, "V")
        assert alice


async def test_dial_out_reports_each_outcome(simulator: SimServer) -> None:
    async with running_console(simulator, ("Alice",)) as console:
        for destination, name, keep in (
            ("sip:desk@example.com", "Front Desk", "keep_conference_alive_never"),
            ("sip:busy@example.com", "", ""),
            ("sip:reject@example.com", "", ""),
            ("sip:noanswer@example.com", "", ""),
        ):
            await console.press("n")
            dialog = await console.until(
                lambda: isinstance(console.app.screen, DialDialog) and console.app.screen, "dial"
            )
            dialog.query_one("#destination", Input).value = destination
            dialog.query_one("#remote-name", Input).value = name
            if keep:
                dialog.query_one("#keep-alive", Select).value = keep
            await console.press("enter")
            await console.until(lambda: isinstance(console.app.screen, ConferenceScreen), "back")
        expected = {
            "sip:desk@example.com": "answered",
            "sip:busy@example.com": "busy",
            "sip:reject@example.com": "rejected",
            "sip:noanswer@example.com": "no answer",
        }
        for destination, outcome in expected.items():
            await console.until(
                lambda d=destination, o=outcome: any(
                    f"Call to {d}: {o}" in line for line in console.log_lines()
                ),
                f"{destination} {outcome}",
            )
        dialled = sim_conference(simulator)["dialled"]
        desk = next(c for c in dialled.values() if c["destination"] == "sip:desk@example.com")
        assert desk["keep_conference_alive"] == "keep_conference_alive_never"
        names = {p.participant.name for p in console.app.store.roster.values()}
        assert "Front Desk" in names


async def test_splash_screen_text_from_the_theme(
    simulator: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = {"direct_media_welcome": {"elements": [{"type": "text", "text": "Welcome [b]all[/b]"}]}}
    monkeypatch.setitem(
        CONFERENCE.functions, "theme/", Function("GET", lambda ctx: ok(theme), "any", False)
    )
    async with running_console(simulator, ("Alice",)) as console:
        await console.until(lambda: console.app.store.theme == theme, "the theme fetched")
        conference = simulator.node.conferences[ALIAS]
        splash = b'{"screen_key":"direct_media_welcome","display_duration":5}'
        simulator.run_on_loop(lambda: conference.emit("splash_screen", splash))
        info = console.screen.query_one("#panel-info")
        await console.until(
            lambda: "splash: Welcome [b]all[/b]" in str(info.render()), "the splash text"
        )
