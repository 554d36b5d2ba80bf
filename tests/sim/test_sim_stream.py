"""The event stream: sync on every stream, live events, keepalive, token on the query."""

from __future__ import annotations

import httpx

from pextui.sim.server import SimServer
from tests.sim.sim_helpers import API, EventReader, join, reading, wait_until

PARTICIPANT_FIELDS = {
    "uuid": str,
    "display_name": str,
    "role": str,
    "is_muted": str,
    "is_client_muted": bool,
    "is_video_muted": bool,
    "is_video_silent": bool,
    "is_main_video_dropped_out": bool,
    "is_presenting": str,
    "presentation_supported": str,
    "rx_presentation_policy": str,
    "needs_presentation_in_mix": bool,
    "buzz_time": (int, float),
    "spotlight": (int, float),
    "start_time": (int, float),
    "last_spoken_time": (int, float),
    "call_direction": str,
    "protocol": str,
    "is_audio_only_call": str,
    "is_video_call": str,
    "has_media": bool,
    "encryption": str,
    "mute_supported": str,
    "disconnect_supported": str,
    "transfer_supported": str,
    "fecc_supported": str,
    "is_streaming_conference": bool,
    "is_external": bool,
    "external_node_uuid": str,
    "is_conjoined": bool,
    "is_transferring": bool,
    "is_idp_authenticated": bool,
    "supports_direct_chat": bool,
    "local_alias": str,
    "overlay_text": str,
    "service_type": str,
    "uri": str,
    "vendor": str,
    "call_tag": str,
    "api_url": str,
    "can_receive_personal_mix": bool,
    "receive_from_video_mix": dict,
}
YES_NO = [
    name
    for name, kind in PARTICIPANT_FIELDS.items()
    if kind is str
    and name.startswith(("is_", "mute_", "disconnect_", "transfer_", "fecc_", "presentation_"))
]


def check_participant(data: dict[str, object]) -> None:
    assert set(data) == set(PARTICIPANT_FIELDS), set(data) ^ set(PARTICIPANT_FIELDS)
    for name, kind in PARTICIPANT_FIELDS.items():
        value = data[name]
        assert isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)), name
    for name in YES_NO:
        assert data[name] in ("YES", "NO"), name
    assert data["role"] in ("chair", "guest")
    assert data["rx_presentation_policy"] in ("ALLOW", "DENY")
    assert data["encryption"] in ("On", "Off")
    assert data["call_direction"] in ("in", "out")
    mix = data["receive_from_video_mix"]
    assert isinstance(mix, dict) and isinstance(mix["mix_name"], str)


def test_participant_objects_have_all_42_fields_with_exact_types(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    roster = host.get("participants").json()["result"]
    assert len(PARTICIPANT_FIELDS) == 42
    for participant in roster:
        check_participant(participant)


def test_stream_starts_with_a_full_sync_with_json_data(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    with reading(client, "meet.demo", host.token) as events:
        assert events.status_code == 200
        assert events.content_type.startswith("text/event-stream")
        names = events.names()
        end = names.index("participant_sync_end")
        assert names[0] == "participant_sync_begin"
        assert names[1:end] == ["participant_create", "participant_create"]
        created = [e.json() for e in events.of("participant_create")]
        assert {p["uuid"] for p in created} == {host.uuid, guest.uuid}
        for participant in created:
            check_participant(participant)
        for event in events.events:
            assert event.data.strip() and event.json() is not None
        assert "conference_update" in names and "layout" in names


def test_every_stream_gets_its_own_sync_and_the_live_events(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    with (
        reading(client, "meet.demo", host.token) as one,
        reading(client, "meet.demo", guest.token) as two,
        reading(client, "meet.demo", host.token) as three,
    ):
        for reader in (one, two, three):
            assert reader.names().count("participant_sync_begin") == 1
        host.act(f"participants/{guest.uuid}/mute")
        for reader in (one, two, three):
            update = reader.wait_for("participant_update", lambda p: p["uuid"] == guest.uuid)
            assert update["is_muted"] == "YES"
            check_participant(update)


def test_lock_and_unlock_emit_conference_update(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    with reading(client, "meet.demo", host.token) as events:
        assert host.act("lock") is True
        events.wait_for("conference_update", lambda s: s["locked"] is True)
        assert host.status()["locked"] is True
        assert host.act("unlock") is True
        events.wait_for("conference_update", lambda s: s["locked"] is False)


def test_joins_and_leaves_are_streamed(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    with reading(client, "meet.demo", host.token) as events:
        guest = join(client, "meet.demo", "Gus", pin="none")
        created = events.wait_for("participant_create", lambda p: p["uuid"] == guest.uuid)
        assert created["display_name"] == "Gus"
        guest.act("release_token")
        events.wait_for("participant_delete", lambda p: p == {"uuid": guest.uuid})


def test_stream_accepts_the_header_token_and_refuses_a_bad_one(sim: SimServer) -> None:
    with httpx.Client(base_url=sim.base_url) as client:
        host = join(client, "meet.demo", "Hanna", pin="1234")
        bad = client.get(API + "meet.demo/events", params={"token": "nope"})
        assert bad.status_code == 403 and bad.json()["result"] == "Invalid token"
        with client.stream("GET", API + "meet.demo/events", headers=host.headers()) as response:
            assert response.status_code == 200
            first = next(response.iter_lines())
            assert first == "event: participant_sync_begin"


def test_idle_stream_gets_keepalive_comments(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    with reading(client, "meet.demo", host.token) as events:
        wait_until(lambda: events.comments > 0, 3, "keepalive")


def test_released_participant_stream_ends(client: httpx.Client) -> None:
    guest = join(client, "meet.demo", "Gus", pin="none")
    reader = EventReader(client, "meet.demo", guest.token)
    reader.wait_synced()
    guest.act("release_token")
    wait_until(lambda: reader.ended, 3, "stream end")


async def test_sim_server_works_with_async_with() -> None:
    from tests.sim.sim_helpers import fast_config

    async with SimServer(fast_config()) as sim, httpx.AsyncClient(base_url=sim.base_url) as client:
        response = await client.post(
            API + "meet.demo/request_token", json={"display_name": "A"}, headers={"pin": "1234"}
        )
        assert response.status_code == 200
        assert sim.state()["conferences"][0]["participant_count"] == 1


def test_cors_preflight_is_answered(client: httpx.Client) -> None:
    response = client.options(
        API + "meet.demo/request_token",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "pin, content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "http://localhost:5173")


def test_a_participant_keeps_at_most_eight_streams(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    readers = [EventReader(client, "meet.demo", host.token) for _ in range(8)]
    try:
        for reader in readers:
            reader.wait_synced()
        newest = EventReader(client, "meet.demo", host.token)
        newest.wait_synced()
        readers.append(newest)
        wait_until(lambda: sum(r.ended for r in readers) == 1, 5, "the oldest to close")
        assert not newest.ended
    finally:
        for reader in readers:
            reader.close()
