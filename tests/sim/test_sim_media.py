"""Presentation frames and their JPEGs, live captions, dial-out outcomes, personal mixes."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from pextui.sim.server import SimServer
from tests.sim.sim_helpers import API, fast_config, join, reading

ALIAS = "meet.demo"


@pytest.fixture
def server() -> Iterator[SimServer]:
    config = fast_config()
    config.timings.frame_interval = 0.1
    config.timings.caption_final = 0.05
    with SimServer(config) as sim:
        yield sim


@pytest.fixture
def quick(server: SimServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=5) as http:
        yield http


def speak(server: SimServer, uuid: str) -> None:
    """Make `uuid` the active speaker, as a scenario does."""
    conference = server.node.conferences[ALIAS]
    server.run_on_loop(lambda: conference.set_stage([uuid], speaking=uuid))


def jpeg(response: httpx.Response) -> Image.Image:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "JPEG"
    return image


def test_frames_while_presenting_and_their_slides(quick: httpx.Client) -> None:
    host = join(quick, ALIAS, "Hanna", pin="1234")
    presenter = join(quick, ALIAS, "Petra", pin="")
    with reading(quick, ALIAS, host.token) as events:
        assert host.get("presentation.jpeg").status_code == 404  # nobody presents
        assert presenter.post(f"participants/{presenter.uuid}/take_floor").status_code == 200
        events.wait_for("presentation_start", lambda p: p["presenter_uuid"] == presenter.uuid)
        first = events.wait_for("presentation_frame")
        later = events.wait_for(
            "presentation_frame", lambda f: int(f["lastEventId"]) >= int(first["lastEventId"]) + 3
        )
        ids = [first["lastEventId"], later["lastEventId"]]
        # token as a header, or in the query as the SDK's image requests send it
        low = jpeg(host.get("presentation.jpeg", params={"id": ids[0]}))
        high = jpeg(
            quick.get(
                API + ALIAS + "/presentation_high.jpeg", params={"id": ids[1], "token": host.token}
            )
        )
        assert low.size == (640, 360) and high.size == (1280, 720)
        again = jpeg(host.get("presentation.jpeg", params={"id": ids[1]}))
        assert again.tobytes() != low.tobytes()  # the slide changed between the frames
        assert quick.get(API + ALIAS + "/presentation.jpeg").status_code == 403
        assert host.get("presentation.jpeg", params={"id": "999999"}).status_code == 404
        assert host.get("presentation.jpeg", params={"id": "x"}).status_code == 404
        presenter.post(f"participants/{presenter.uuid}/release_floor")
        events.wait_for("presentation_stop")
    assert host.get("presentation.jpeg").status_code == 404


def test_captions_only_for_those_who_asked(quick: httpx.Client, server: SimServer) -> None:
    viewer = join(quick, ALIAS, "Vera", pin="1234")
    other = join(quick, ALIAS, "Otto", pin="1234")
    speaker = join(quick, ALIAS, "Sam", pin="")
    sim_state = quick.get("/_sim/state").json()
    assert sim_state["conferences"][0]["caption_viewers"] == []
    with reading(quick, ALIAS, viewer.token) as seen, reading(quick, ALIAS, other.token) as not_:
        assert viewer.post(f"participants/{viewer.uuid}/show_live_captions").status_code == 200
        speak(server, speaker.uuid)
        interim = seen.wait_for("live_captions", lambda c: c["is_final"] is False)
        final = seen.wait_for("live_captions", lambda c: c["is_final"] is True)
        assert interim["sources"][0]["participant_uuid"] == speaker.uuid
        assert final["sources"][0]["participant_uuid"] == speaker.uuid
        assert final["data"].startswith(interim["data"]) and len(final["data"]) > len(
            interim["data"]
        )
        assert viewer.post(f"participants/{viewer.uuid}/hide_live_captions").status_code == 200
        before = len(seen.of("live_captions"))
        speak(server, speaker.uuid)
        viewer.post("message", json={"type": "text/plain", "payload": "marker"})
        not_.wait_for("message_received", lambda m: m["payload"] == "marker")
        assert len(seen.of("live_captions")) == before
        assert not not_.of("live_captions")
    refused = other.post(f"participants/{viewer.uuid}/show_live_captions")
    assert refused.status_code == 200  # a host may; a guest only for itself
    assert speaker.post(f"participants/{viewer.uuid}/show_live_captions").status_code == 403


def test_dial_out_outcomes(quick: httpx.Client) -> None:
    host = join(quick, ALIAS, "Hanna", pin="1234")
    with reading(quick, ALIAS, host.token) as events:
        outcomes = {}
        for destination in ("busy@example.com", "reject@example.com", "noanswer@example.com"):
            body = {
                "role": "GUEST",
                "destination": destination,
                "protocol": "sip",
                "remote_display_name": "Callee",
                "keep_conference_alive": "keep_conference_alive_never",
            }
            (uuid,) = host.act("dial", json=body)
            outcomes[uuid] = destination
        answered = host.act(
            "dial", json={"role": "GUEST", "destination": "ok@example.com", "protocol": "sip"}
        )[0]
        for uuid in outcomes:
            events.wait_for("participant_delete", lambda p, u=uuid: p["uuid"] == u)
        reasons = {
            outcomes[e.json()["uuid"]]: e.json().get("reason")
            for e in events.of("participant_delete")
            if e.json()["uuid"] in outcomes
        }
        assert reasons == {
            "busy@example.com": "Busy",
            "reject@example.com": "Call rejected",
            "noanswer@example.com": "No answer",
        }
        events.wait_for(
            "participant_update",
            lambda p: p["uuid"] == answered and p["service_type"] == "conference",
        )
    dialled = quick.get("/_sim/state").json()["conferences"][0]["dialled"]
    assert dialled[answered]["outcome"] == "answered"
    assert {d["keep_conference_alive"] for u, d in dialled.items() if u != answered} == {
        "keep_conference_alive_never"
    }
    bad = host.post(
        "dial",
        json={
            "role": "GUEST",
            "destination": "x",
            "protocol": "sip",
            "keep_conference_alive": "forever",
        },
    )
    assert bad.status_code == 400


def test_personal_layout_mix_as_the_sdk_sends_it(quick: httpx.Client) -> None:
    host = join(quick, ALIAS, "Hanna", pin="1234")
    assert host.act("video_mixes/create", json={"mix_name": "main.!personal"}) is True
    configure = {"transform_layout": {"layout": "2x2"}}
    assert host.act("video_mixes/main.!personal/configure", json=configure) is True
    assert host.act("video_mixes/main.!personal/delete") is True
