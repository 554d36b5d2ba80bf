"""Joining: the PIN flow, Virtual Reception, unknown alias, 5xx, timeouts, maintenance."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.protocol.errors import (
    AccessDeniedError,
    ConferenceNotFoundError,
    ExtensionRequiredError,
    InvalidPinError,
    MaintenanceError,
    NetworkError,
    PinRequiredError,
    ProtocolError,
    ServerError,
)
from pextui.sim.config import VmrConfig
from pextui.sim.server import SimServer
from tests.protocol.protocol_helpers import control, host_params


async def test_host_joins_with_pin(sim: SimServer) -> None:
    session = await connect(host_params(sim))
    async with session:
        assert session.role == "HOST"
        assert session.is_host
        assert session.alias == "meet.demo"
        assert session.conference_name == "Demo Meeting"
        assert session.display_name == "Host Console"
        joined = sim.participant_state("meet.demo", session.participant_uuid)
        assert joined is not None
        assert joined["display_name"] == "Host Console"
        assert joined["role"] == "chair"


async def test_pin_required_says_which_roles_have_a_pin(sim: SimServer) -> None:
    with pytest.raises(PinRequiredError) as demo:
        await connect(host_params(sim, pin=None))
    assert (demo.value.host_pin, demo.value.guest_pin) == (True, False)
    with pytest.raises(PinRequiredError) as board:
        await connect(host_params(sim, alias="meet.board", pin=None))
    assert (board.value.host_pin, board.value.guest_pin) == (True, True)


async def test_wrong_pin_is_invalid_pin(sim: SimServer) -> None:
    with pytest.raises(InvalidPinError) as caught:
        await connect(host_params(sim, pin="9999"))
    assert caught.value.reason == "Invalid PIN"
    assert caught.value.code == "#pex101"
    assert "9999" not in str(caught.value)


async def test_pinless_guest_joins_with_pin_none(sim: SimServer) -> None:
    async with await connect(host_params(sim, pin=NO_PIN, display_name="Guest")) as session:
        assert session.role == "GUEST"
        assert not session.is_host


async def test_guest_pin_gives_guest_role(sim: SimServer) -> None:
    async with await connect(host_params(sim, alias="meet.board", pin="5678")) as session:
        assert session.role == "GUEST"


async def test_unknown_alias_is_not_found(sim: SimServer) -> None:
    with pytest.raises(ConferenceNotFoundError) as caught:
        await connect(host_params(sim, alias="no.such.room"))
    assert caught.value.reason == "Neither conference nor gateway found"
    assert caught.value.code == "#pex154"


async def test_virtual_reception_needs_an_extension(sim: SimServer) -> None:
    with pytest.raises(ExtensionRequiredError) as caught:
        await connect(host_params(sim, alias="reception", pin=None))
    assert caught.value.kind == "standard"


async def test_virtual_reception_routes_to_the_extension(sim: SimServer) -> None:
    params = host_params(sim, alias="reception", conference_extension="meet.board")
    async with await connect(params) as session:
        assert session.role == "HOST"
        board = sim.conference_state("meet.board")
        assert any(p["uuid"] == session.participant_uuid for p in board["participants"])


async def test_reception_with_unknown_extension_fails_clearly(sim: SimServer) -> None:
    params = host_params(sim, alias="reception", conference_extension="no.such.room")
    with pytest.raises((ConferenceNotFoundError, AccessDeniedError)) as caught:
        await connect(params)
    assert caught.value.reason


async def test_server_errors_while_joining(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(faults={"error-rate": 1.0})
    with pytest.raises((ServerError, MaintenanceError)) as caught:
        await connect(host_params(sim))
    if isinstance(caught.value, ServerError):
        assert caught.value.status in (502, 503)


async def test_timeout_is_a_network_error(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(faults={"latency-ms": 1500})
    with pytest.raises(NetworkError) as caught:
        await connect(host_params(sim, timeout_s=0.3))
    assert "did not answer in time" in caught.value.reason


async def test_connection_refused_is_a_network_error(sim: SimServer) -> None:
    port = sim.port
    sim.stop()
    params = JoinParams(node_url=f"http://127.0.0.1:{port}", alias="meet.demo", pin="1234")
    with pytest.raises(NetworkError) as caught:
        await connect(params)
    assert "cannot connect" in caught.value.reason
    assert "1234" not in str(caught.value)


async def test_released_token_leaves_the_conference(sim: SimServer) -> None:
    session = await connect(host_params(sim))
    uuid = session.participant_uuid
    await session.close()
    assert sim.participant_state("meet.demo", uuid) is None
    assert sim.state()["tokens"] == 0


def _mock(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


async def test_maintenance_mode_refuses_the_join(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(faults={"maintenance": 1})
    with pytest.raises(MaintenanceError) as caught:
        await connect(host_params(sim))
    assert caught.value.reason == "System in maintenance mode"
    assert sim.state()["tokens"] == 0


async def test_maintenance_mode_spares_joined_participants(sim: SimServer) -> None:
    async with await connect(host_params(sim)) as session:
        await control(sim, {"faults": {"maintenance": 1}})
        await session.lock()  # a joined host's calls still work
        assert (await session.conference_status()).locked
        with pytest.raises(MaintenanceError):
            await connect(host_params(sim, display_name="Latecomer"))
        await control(sim, {"faults": {}})
        async with await connect(host_params(sim, display_name="Latecomer")) as late:
            assert late.role == "HOST"


async def test_maintenance_mode_via_status_503_only() -> None:
    """A node whose /status alone says 503 (the simulator also refuses request_token)."""

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/client/v2/status"
        return httpx.Response(503, json={"status": "failed", "result": "Service Unavailable"})

    params = JoinParams(node_url="http://127.0.0.1:9", alias="meet.demo", pin="1234")
    with pytest.raises(MaintenanceError):
        await connect(params, transport=_mock(handler))


@pytest.mark.parametrize("status", [529, 504])
async def test_undocumented_and_gateway_statuses(status: int) -> None:
    """A 529/504 on request_token (the simulator only produces 502/503): MockTransport."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={"status": "success", "result": "OK"})
        return httpx.Response(status, json={"status": "failed", "result": "Overloaded"})

    params = JoinParams(node_url="http://127.0.0.1:9", alias="meet.demo", pin="1234")
    with pytest.raises(ServerError) as caught:
        await connect(params, transport=_mock(handler))
    assert caught.value.status == status
    assert caught.value.reason == "Overloaded"
    assert str(caught.value) == f"Overloaded (HTTP {status})"


async def test_non_json_token_answer_is_a_protocol_error() -> None:
    """A 200 with an HTML body (a captive portal, say) cannot come from the simulator."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={"status": "success", "result": "OK"})
        return httpx.Response(200, text="<html>hello</html>", headers={"content-type": "text/html"})

    params = JoinParams(node_url="http://127.0.0.1:9", alias="meet.demo", pin="1234")
    with pytest.raises(ProtocolError):
        await connect(params, transport=_mock(handler))


async def test_sso_and_other_refusals_are_access_denied() -> None:
    """SSO (idp) 403 shape and a plain refusal string, from a MockTransport."""
    answers = iter(
        [
            {"idp": [{"name": "Corp", "uuid": "u1"}], "version": {}},
            "Participant exceeded PIN entry retries",
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={"status": "success", "result": "OK"})
        return httpx.Response(
            403, content=json.dumps({"status": "success", "result": next(answers)})
        )

    params = JoinParams(node_url="http://127.0.0.1:9", alias="meet.demo", pin="1234")
    with pytest.raises(AccessDeniedError) as sso:
        await connect(params, transport=_mock(handler))
    assert "single sign-on" in sso.value.reason
    with pytest.raises(AccessDeniedError) as retries:
        await connect(params, transport=_mock(handler))
    assert retries.value.code == "#pex192"


def test_join_params_validation() -> None:
    with pytest.raises(ValueError, match="node URL"):
        JoinParams(node_url="ftp://x", alias="a")
    with pytest.raises(ValueError, match="alias"):
        JoinParams(node_url="https://x", alias="a/b")
    with pytest.raises(ValueError, match="PIN"):
        JoinParams(node_url="https://x", alias="a", pin="12ab")
    with pytest.raises(ValueError, match="credentials"):
        JoinParams(node_url="https://user:pw@x", alias="a")
    assert "4321" not in repr(JoinParams(node_url="https://x", alias="a", pin="4321"))


async def test_single_sign_on_rooms_are_refused_clearly(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(vmrs=[VmrConfig("sso.room", host_pin="1234", sso=True)])
    with pytest.raises(AccessDeniedError) as caught:
        await connect(host_params(sim, alias="sso.room"))
    assert "single sign-on" in caught.value.reason
