"""Participant functions over loopback HTTP, each with its participant_update or event."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.sim.sim_helpers import Joined, join, reading, wait_until


@pytest.fixture
def pair(client: httpx.Client) -> tuple[Joined, Joined]:
    return join(client, "meet.demo", "Hanna", pin="1234"), join(
        client, "meet.demo", "Gus", pin="none"
    )


TOGGLES: list[tuple[str, dict[str, Any] | None, str, Any]] = [
    ("mute", None, "is_muted", "YES"),
    ("unmute", None, "is_muted", "NO"),
    ("client_mute", None, "is_client_muted", True),
    ("client_unmute", None, "is_client_muted", False),
    ("video_muted", None, "is_video_muted", True),
    ("video_unmuted", None, "is_video_muted", False),
    ("denyrxpresentation", None, "rx_presentation_policy", "DENY"),
    ("allowrxpresentation", None, "rx_presentation_policy", "ALLOW"),
    ("overlaytext", {"text": "The Dude"}, "overlay_text", "The Dude"),
    ("pres_in_mix", {"state": True}, "needs_presentation_in_mix", True),
    ("role", {"role": "chair"}, "role", "chair"),
    ("role", {"role": "guest"}, "role", "guest"),
    ("spotlightoff", None, "spotlight", 0),
    ("clearbuzz", None, "buzz_time", 0),
]


def test_each_function_changes_the_participant_and_streams_it(
    client: httpx.Client, pair: tuple[Joined, Joined]
) -> None:
    host, guest = pair
    with reading(client, "meet.demo", host.token) as events:
        for name, body, field, value in TOGGLES:
            before = len(events.of("participant_update"))
            kwargs = {"json": body} if body else {}
            assert host.act(f"participants/{guest.uuid}/{name}", **kwargs) is True, name
            assert host.participant(guest.uuid)[field] == value, name
            # every host action is answered by an update, changed or not
            wait_until(
                lambda b=before: len(events.of("participant_update")) > b, 5, f"update of {name}"
            )
            latest = events.of("participant_update")[-1].json()
            assert latest["uuid"] == guest.uuid and latest[field] == value, name


def test_spotlight_order_follows_timestamps(
    client: httpx.Client, pair: tuple[Joined, Joined]
) -> None:
    host, guest = pair
    third = join(client, "meet.demo", "Tia", pin="none")
    host.act(f"participants/{third.uuid}/spotlighton")
    host.act(f"participants/{guest.uuid}/spotlighton")
    first_time = host.participant(third.uuid)["spotlight"]
    second_time = host.participant(guest.uuid)["spotlight"]
    assert 0 < first_time <= second_time
    # spotlighting again keeps the original timestamp
    host.act(f"participants/{third.uuid}/spotlighton")
    assert host.participant(third.uuid)["spotlight"] == first_time
    host.act(f"participants/{third.uuid}/spotlightoff")
    assert host.participant(third.uuid)["spotlight"] == 0


def test_raised_hands_have_buzz_time(client: httpx.Client, pair: tuple[Joined, Joined]) -> None:
    host, guest = pair
    with reading(client, "meet.demo", host.token) as events:
        assert guest.act(f"participants/{guest.uuid}/buzz") is True
        raised = events.wait_for(
            "participant_update", lambda p: p["uuid"] == guest.uuid and p["buzz_time"] > 0
        )
    assert isinstance(raised["buzz_time"], int | float)
    host.act(f"participants/{guest.uuid}/clearbuzz")
    assert host.participant(guest.uuid)["buzz_time"] == 0


def test_guests_act_only_on_themselves_and_never_on_host_functions(
    client: httpx.Client, pair: tuple[Joined, Joined]
) -> None:
    host, guest = pair
    assert guest.post(f"participants/{host.uuid}/mute").status_code == 403
    assert guest.post(f"participants/{host.uuid}/disconnect").status_code == 403
    for name, body in [
        ("spotlighton", None),
        ("role", {"role": "chair"}),
        ("overlaytext", {"text": "x"}),
        ("transfer", {"conference_alias": "meet.board", "role": "guest", "pin": "5678"}),
        ("allowrxpresentation", None),
        ("unlock", None),
        ("fecc", {"action": "start", "movement": [{"axis": "pan", "direction": "left"}]}),
    ]:
        response = guest.post(f"participants/{guest.uuid}/{name}", json=body)
        assert response.status_code == 403, name
    assert guest.act(f"participants/{guest.uuid}/client_mute") is True
    assert guest.act(f"participants/{guest.uuid}/mute") is True


def test_participant_disconnect_sends_the_reason_and_ends_the_stream(
    client: httpx.Client, pair: tuple[Joined, Joined]
) -> None:
    host, guest = pair
    with (
        reading(client, "meet.demo", guest.token) as guest_events,
        reading(client, "meet.demo", host.token) as host_events,
    ):
        assert host.act(f"participants/{guest.uuid}/disconnect") is True
        assert (
            guest_events.wait_for("disconnect")["reason"] == "Disconnected by another participant"
        )
        host_events.wait_for("participant_delete", lambda p: p["uuid"] == guest.uuid)
        wait_until(lambda: guest_events.ended, 3, "guest stream ends")
        assert host_events.of("disconnect") == []
    assert guest.get("conference_status").status_code == 403


def test_direct_message_reaches_only_its_target(
    client: httpx.Client, pair: tuple[Joined, Joined]
) -> None:
    host, guest = pair
    other = join(client, "meet.demo", "Olga", pin="none")
    with (
        reading(client, "meet.demo", guest.token) as target,
        reading(client, "meet.demo", other.token) as bystander,
    ):
        body = {"type": "text/plain", "payload": "psst"}
        assert host.act(f"participants/{guest.uuid}/message", json=body) is True
        message = target.wait_for("message_received")
        host.act("message", json={"type": "text/plain", "payload": "everyone"})
        bystander.wait_for("message_received", lambda m: m["payload"] == "everyone")
        assert [m.json()["payload"] for m in bystander.of("message_received")] == ["everyone"]
    assert message == {
        "origin": "Hanna",
        "uuid": host.uuid,
        "type": "text/plain",
        "payload": "psst",
        "direct": True,
    }


def test_avatar_is_404_no_image(client: httpx.Client, pair: tuple[Joined, Joined]) -> None:
    host, guest = pair
    response = guest.get(f"participants/{host.uuid}/avatar.jpg")
    assert response.status_code == 404
    assert response.json() == {"status": "failed", "result": "No image available"}


def test_dtmf_and_fecc(client: httpx.Client, pair: tuple[Joined, Joined]) -> None:
    host, guest = pair
    assert host.act(f"participants/{guest.uuid}/dtmf", json={"digits": "1234#"}) is True
    assert host.post(f"participants/{guest.uuid}/dtmf", json={"digits": "hello"}).status_code == 400
    fecc = {
        "action": "start",
        "target": guest.uuid,
        "movement": [{"axis": "pan", "direction": "left"}, {"axis": "zoom", "direction": "in"}],
        "timeout": 1000,
    }
    with reading(client, "meet.demo", guest.token) as events:
        assert host.act(f"participants/{guest.uuid}/fecc", json=fecc) is True
        received = events.wait_for("fecc")
    assert received["action"] == "start" and len(received["movement"]) == 2
    wrong = dict(fecc, movement=[{"axis": "pan", "direction": "up"}])
    assert host.post(f"participants/{guest.uuid}/fecc", json=wrong).status_code == 400


def test_calls_rtmp_gives_urls_and_webrtc_is_refused_in_text(
    client: httpx.Client, pair: tuple[Joined, Joined]
) -> None:
    host, _ = pair
    webrtc = host.post(
        f"participants/{host.uuid}/calls", json={"call_type": "WEBRTC", "sdp": "v=0"}
    )
    assert webrtc.status_code == 400
    assert webrtc.headers["content-type"].startswith("text/plain") and "media" in webrtc.text
    call = host.act(
        f"participants/{host.uuid}/calls", json={"call_type": "RTMP", "streaming": True}
    )
    assert call["url"].startswith("rtmp://") and call["secure_url"].startswith("rtmps://")
    assert call["call_uuid"] in call["url"]
    assert host.participant()["is_streaming_conference"] is True
    with reading(client, "meet.demo", host.token) as events:
        assert host.act(f"participants/{host.uuid}/calls/{call['call_uuid']}/disconnect") is None
        assert events.wait_for("call_disconnected")["call_uuid"] == call["call_uuid"]
    missing = host.post(f"participants/{host.uuid}/calls/{call['call_uuid']}/ack", json={})
    assert missing.status_code == 404


def test_presentation_floor_emits_start_and_stop(
    client: httpx.Client, pair: tuple[Joined, Joined]
) -> None:
    host, guest = pair
    with reading(client, "meet.demo", host.token) as events:
        assert guest.act(f"participants/{guest.uuid}/take_floor") is None
        start = events.wait_for("presentation_start")
        assert start["presenter_uuid"] == guest.uuid and start["presenter_name"] == "Gus"
        assert host.participant(guest.uuid)["is_presenting"] == "YES"
        guest.act(f"participants/{guest.uuid}/release_floor")
        events.wait_for("presentation_stop")
    assert host.participant(guest.uuid)["is_presenting"] == "NO"


def test_role_change_changes_what_the_token_may_do(
    client: httpx.Client, pair: tuple[Joined, Joined]
) -> None:
    host, guest = pair
    assert guest.post("lock").status_code == 403
    host.act(f"participants/{guest.uuid}/role", json={"role": "chair"})
    assert guest.act("lock") is True
    assert guest.act("refresh_token")["role"] == "HOST"
    assert host.post(f"participants/{guest.uuid}/role", json={"role": "boss"}).status_code == 400


def test_unknown_participant_is_404(client: httpx.Client, pair: tuple[Joined, Joined]) -> None:
    host, _ = pair
    response = host.post("participants/00000000-0000-0000-0000-000000000000/mute")
    assert response.status_code == 404
    assert response.json()["result"] == "Participant not found"
