"""Every host function against the simulator, checked against the simulator's truth."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from pextui.protocol.client import NO_PIN, connect
from pextui.protocol.errors import ActionError, SessionClosedError
from pextui.protocol.requests import RequestValidationError
from pextui.protocol.session import Session
from pextui.sim.server import SimServer
from tests.protocol.protocol_helpers import Collector, host_params, wait_until


@pytest.fixture
async def host(sim: SimServer) -> AsyncIterator[Session]:
    session = await connect(host_params(sim))
    yield session
    await session.close()


@pytest.fixture
async def guest(sim: SimServer) -> AsyncIterator[Session]:
    session = await connect(host_params(sim, pin=NO_PIN, display_name="Gus Guest"))
    yield session
    await session.close()


def field_of(sim: SimServer, uuid: str, name: str) -> Any:
    participant = sim.participant_state("meet.demo", uuid)
    assert participant is not None, f"{uuid} is not in meet.demo"
    return participant[name]


def status_of(sim: SimServer, name: str) -> Any:
    return sim.conference_state("meet.demo")["status"][name]


async def test_conference_functions(sim: SimServer, host: Session) -> None:
    status = await host.conference_status()
    assert status.locked is False
    await host.lock()
    assert status_of(sim, "locked") is True
    assert (await host.conference_status()).locked is True
    await host.unlock()
    assert status_of(sim, "locked") is False
    await host.mute_guests()
    assert status_of(sim, "guests_muted") is True
    await host.unmute_guests()
    assert status_of(sim, "guests_muted") is False
    await host.set_guests_can_unmute(False)
    assert status_of(sim, "guests_can_unmute") is False
    await host.start_conference()
    assert status_of(sim, "started") is True


async def test_layout_functions(sim: SimServer, host: Session) -> None:
    layouts = await host.available_layouts()
    assert "4:0" in layouts and "ac" in layouts
    await host.transform_layout("4:0", available=layouts, enable_overlay_text=True)
    layout = sim.conference_state("meet.demo")["layout"]
    assert layout["requested_layout"]["primary_screen"]["chair_layout"] == "4:0"
    with pytest.raises(RequestValidationError, match="layout must be one of"):
        await host.transform_layout("7:7", available=layouts)
    await host.silent_video_detection(enable=True, silent_after=15, reactivate_after=2)
    with pytest.raises(RequestValidationError, match="silent_after"):
        await host.silent_video_detection(silent_after=500)


async def test_participants_and_per_participant_functions(
    sim: SimServer, host: Session, guest: Session
) -> None:
    roster = await host.participants()
    names = {p.display_name for p in roster}
    assert {"Host Console", "Gus Guest"} <= names
    uuid = guest.participant_uuid
    steps: list[tuple[Callable[[], Any], str, Any]] = [
        (lambda: host.mute(uuid), "is_muted", "YES"),
        (lambda: host.unmute(uuid), "is_muted", "NO"),
        (lambda: host.mute_video(uuid), "is_video_muted", True),
        (lambda: host.unmute_video(uuid), "is_video_muted", False),
        (lambda: host.deny_rx_presentation(uuid), "rx_presentation_policy", "DENY"),
        (lambda: host.allow_rx_presentation(uuid), "rx_presentation_policy", "ALLOW"),
        (lambda: host.set_overlay_text(uuid, "Gus (Sales)"), "overlay_text", "Gus (Sales)"),
        (lambda: host.set_pres_in_mix(uuid, True), "needs_presentation_in_mix", True),
        (lambda: host.set_role(uuid, "host"), "role", "chair"),
        (lambda: host.set_role(uuid, "guest"), "role", "guest"),
    ]
    for call, field, expected in steps:
        await call()
        assert field_of(sim, uuid, field) == expected, field
    await host.spotlight_on(uuid)
    assert field_of(sim, uuid, "spotlight") > 0
    await host.spotlight_off(uuid)
    assert field_of(sim, uuid, "spotlight") == 0
    await host.buzz(uuid)
    assert field_of(sim, uuid, "buzz_time") > 0
    await host.clear_buzz(uuid)
    assert field_of(sim, uuid, "buzz_time") == 0
    await host.buzz(uuid)
    await host.clear_all_buzz()
    assert field_of(sim, uuid, "buzz_time") == 0
    await host.send_dtmf(uuid, "12*#A")
    await host.fecc(uuid, "start", [("pan", "left"), ("zoom", "in")], timeout_ms=1000)
    await host.send_message("hello everyone")
    await host.send_private_message(uuid, "hello Gus")
    await host.disconnect_participant(uuid)
    assert sim.participant_state("meet.demo", uuid) is None


async def test_waiting_room_admit(sim: SimServer, host: Session) -> None:
    await host.lock()
    late = await connect(host_params(sim, pin=NO_PIN, display_name="Late Guest"))
    try:
        assert field_of(sim, late.participant_uuid, "service_type") == "waiting_room"
        await host.admit(late.participant_uuid)
        assert field_of(sim, late.participant_uuid, "service_type") != "waiting_room"
    finally:
        await late.close()


async def test_dial_returns_the_new_uuids(sim: SimServer, host: Session) -> None:
    uuids = await host.dial(
        "alice@example.com", protocol="sip", role="GUEST", remote_display_name="Alice"
    )
    assert len(uuids) == 1
    dialled = sim.participant_state("meet.demo", uuids[0])
    assert dialled is not None and dialled["display_name"] == "Alice"
    await wait_until(
        lambda: field_of(sim, uuids[0], "service_type") == "conference", 3.0, "the call answered"
    )


async def test_transfer_moves_a_participant(sim: SimServer, host: Session, guest: Session) -> None:
    """The guest session follows the refer; it ends up in meet.board as a guest."""
    collector = Collector(guest)
    try:
        await wait_until(lambda: guest.stream_connections == 1, 3.0, "the guest's stream")
        await host.transfer(guest.participant_uuid, "meet.board", "guest", "5678")
        await wait_until(lambda: guest.alias == "meet.board", 3.0, "the guest to follow the refer")
        assert sim.participant_state("meet.board", guest.participant_uuid) is not None
        assert guest.role == "GUEST"
    finally:
        await collector.stop()


async def test_transfer_with_a_wrong_pin_fails_with_the_reason(
    sim: SimServer, host: Session, guest: Session
) -> None:
    with pytest.raises(ActionError) as caught:
        await host.transfer(guest.participant_uuid, "meet.board", "host", "0000")
    assert caught.value.action == "transfer"
    assert caught.value.status == 403
    assert caught.value.reason
    assert "0000" not in str(caught.value)


async def test_guest_cannot_use_host_functions(guest: Session) -> None:
    with pytest.raises(ActionError) as caught:
        await guest.lock()
    assert caught.value.status == 403
    assert str(caught.value).startswith("lock failed: ")


async def test_unknown_participant_fails_with_the_server_reason(host: Session) -> None:
    with pytest.raises(ActionError) as caught:
        await host.mute("00000000-0000-0000-0000-000000000000")
    assert caught.value.status is not None and caught.value.status >= 400
    assert caught.value.reason


async def test_invalid_arguments_are_refused_before_sending(host: Session) -> None:
    with pytest.raises(RequestValidationError, match="DTMF"):
        await host.send_dtmf(host.participant_uuid, "12x")
    with pytest.raises(RequestValidationError, match="transfer role"):
        await host.transfer(host.participant_uuid, "meet.board", "boss")
    with pytest.raises(RequestValidationError, match="protocol"):
        await host.dial("x@example.com", protocol="carrier-pigeon")
    with pytest.raises(RequestValidationError, match="FECC direction"):
        await host.fecc(host.participant_uuid, "start", [("pan", "up")])


async def test_disconnect_all_ends_our_session_too(sim: SimServer, host: Session) -> None:
    await host.disconnect_all()
    assert sim.conference_state("meet.demo")["participant_count"] == 0


async def test_calls_after_close_are_refused(sim: SimServer) -> None:
    session = await connect(host_params(sim))
    await session.close()
    with pytest.raises(SessionClosedError):
        await session.lock()
