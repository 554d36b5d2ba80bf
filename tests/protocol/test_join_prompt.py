"""The shared join helper asks for a PIN only when the conference wants one."""

from __future__ import annotations

import pytest

from pextui.commands.connection import exit_code_for, explain, join
from pextui.protocol.client import NO_PIN
from pextui.protocol.errors import InvalidPinError, PinRequiredError
from pextui.sim.server import SimServer
from tests.protocol.protocol_helpers import host_params


async def test_asks_once_when_a_pin_is_required(sim: SimServer) -> None:
    asked: list[PinRequiredError] = []

    def ask(error: PinRequiredError) -> str:
        asked.append(error)
        return "1234"

    async with await join(host_params(sim, pin=None), ask) as session:
        assert session.role == "HOST"
    assert len(asked) == 1 and asked[0].host_pin and not asked[0].guest_pin


async def test_empty_answer_joins_as_guest_without_pin(sim: SimServer) -> None:
    async with await join(host_params(sim, pin=None), lambda _: NO_PIN) as session:
        assert session.role == "GUEST"


async def test_no_terminal_means_no_prompt(sim: SimServer) -> None:
    with pytest.raises(PinRequiredError) as caught:
        await join(host_params(sim, pin=None), lambda _: None)
    assert "PEXTUI_PIN" in explain(caught.value)
    assert exit_code_for(caught.value) == 3


async def test_a_given_pin_is_never_asked_again(sim: SimServer) -> None:
    def ask(_: PinRequiredError) -> str:
        raise AssertionError("asked although a PIN was given")

    with pytest.raises(InvalidPinError):
        await join(host_params(sim, pin="1111"), ask)
