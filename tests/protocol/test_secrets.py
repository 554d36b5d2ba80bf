"""The PIN and the tokens never reach a log record or an exception message."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from pextui.protocol.client import JoinParams, connect
from pextui.protocol.errors import ActionError, InvalidPinError, PexipError, clean_reason
from pextui.protocol.session import open_session
from pextui.sim.config import VmrConfig
from pextui.sim.server import SimServer
from tests.protocol.protocol_helpers import (
    Collector,
    RecordingTransport,
    control,
    host_params,
    wait_until,
)

PIN = "918273"


async def test_no_pin_or_token_in_logs_or_errors(
    make_sim: Callable[..., SimServer], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sim = make_sim(
        vmrs=[VmrConfig("secret.room", host_pin=PIN), VmrConfig("other.room", host_pin="5555")],
        token_expires=3,
        faults={"drop-stream-every": 0.5},
    )
    transport = RecordingTransport()
    errors: list[PexipError] = []
    with pytest.raises(InvalidPinError) as wrong:
        await open_session(host_params(sim, alias="secret.room", pin="918274"), transport=transport)
    errors.append(wrong.value)
    session = await open_session(
        host_params(sim, alias="secret.room", pin=PIN), transport=transport
    )
    async with session:
        collector = Collector(session)
        await wait_until(lambda: session.refreshes >= 2, 5.0, "two refreshes")
        await wait_until(lambda: session.stream_connections >= 2, 5.0, "a reconnect")
        await control(sim, {"faults": {"refuse-refresh": 1}})
        await wait_until(lambda: session.rejoins >= 1, 5.0, "a re-request")
        await control(sim, {"faults": {}})
        for bad in (
            session.transfer(session.participant_uuid, "other.room", "host", "5556"),
            session.mute("no-such-participant"),
        ):
            with pytest.raises(ActionError) as caught:
                await bad
            errors.append(caught.value)
        await collector.stop()
    secrets = {s for s in transport.secrets if len(s) >= 4} | {PIN, "5556"}
    tokens = secrets - {PIN, "5556", "918274"}
    assert len(tokens) >= 4, "expected several tokens (join, refreshes, re-request)"
    assert any("events" in path for path in transport.paths)
    text = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request" in text  # httpx's own lines were captured (and scrubbed)
    for secret in secrets:
        assert secret not in text, "a secret reached the log"
        for error in errors:
            assert secret not in str(error) and secret not in repr(error)
    assert "token=[redacted]" in text


async def test_reason_from_the_network_is_scrubbed(sim: SimServer) -> None:
    session = await connect(host_params(sim))
    try:
        token = session._token
        assert token not in clean_reason(f"oops {token} and ?token={token}")
        assert "[redacted]" in clean_reason(f"url?token={token}")
        assert clean_reason("a\x1b[31mred\x00") == "a [31mred"
        assert len(clean_reason("x" * 5000)) <= 300
    finally:
        await session.close()


@pytest.mark.parametrize(
    "node_url", ["pexip://meet.demo@vc.example.com?pin=98765", "https://?token=98765"]
)
def test_a_bad_node_url_is_not_quoted_in_the_error(node_url: str) -> None:
    with pytest.raises(ValueError) as caught:
        JoinParams(node_url=node_url, alias="meet.demo")
    assert "98765" not in str(caught.value)
    assert str(caught.value).startswith("node URL")
