"""The ACS simulator (with the Pexip one, sharing the number plan) and the console's ACS
side (receiver, SDK client, desk), all over real loopback HTTPS / HTTP."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from pextui.phone.acs.callback_auth import CallbackAuth, CallbackVerifier
from pextui.phone.acs.client import AcsClient
from pextui.phone.acs.connection import ConnectionString
from pextui.phone.acs.desk import AcsDesk
from pextui.phone.acs.receiver import CallbackReceiver
from pextui.phone.calls import Call
from pextui.sim.acs.server import SimWithAcs

CALLER = "+4930123456"
MEET_DEMO = "+15550108001"  # meet.demo's PSTN number in the simulation (plan number 8001)


@pytest.fixture
def sim() -> Iterator[SimWithAcs]:
    with SimWithAcs() as running:
        yield running


@dataclass
class Desk:
    sim: SimWithAcs
    desk: AcsDesk
    receiver: CallbackReceiver
    client: AcsClient

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        with httpx.Client(
            verify=ssl.create_default_context(cafile=self.sim.ca), timeout=10
        ) as http:
            return http.request(method, self.sim.acs_endpoint + path, json=body)

    def faults(self, **values: float) -> None:
        body = {"faults": {k.replace("_", "-"): v for k, v in values.items()}}
        assert self.control("POST", "/_acs/faults", body).status_code == 200

    def state(self) -> dict[str, Any]:
        return self.sim.acs_state()

    async def until(self, check: Callable[[], Any], seconds: float = 10.0) -> Any:
        """Wait for `check()` to be truthy (the desk's changes wake us)."""
        try:
            async with asyncio.timeout(seconds):
                while not (value := check()):
                    await self.desk.wait_changed(0.05)
        except TimeoutError:
            calls = [c.to_json() for c in self.desk.book]
            seen = (self.desk.counts, self.receiver.counts, calls, self.state())
            raise AssertionError(f"still not true after {seconds} s: {seen}") from None
        return value

    async def ring_and_answer(self, caller: str = CALLER, name: str = "Customer") -> Call:
        server_call_id = await asyncio.to_thread(self.sim.ring, caller, name)
        ringing = await self.until(lambda: self.desk.book.get("acs", server_call_id))
        assert ringing.state == "ringing"
        call = await self.desk.answer(server_call_id)
        await self.until(lambda: call.state == "talking")
        return call


def make_client(sim: SimWithAcs, retries: int = 2, timeout: float = 10.0) -> AcsClient:
    connection = ConnectionString.parse(sim.connection_string)
    return AcsClient(connection, verify=sim.ca, retries=retries, backoff=0.05, timeout=timeout)


@pytest.fixture
async def desk_factory(sim: SimWithAcs) -> AsyncIterator[Callable[..., Any]]:
    opened: list[tuple[CallbackReceiver, AcsClient]] = []

    async def make(
        retries: int = 2,
        transfer_timeout: float = 10.0,
        request_timeout: float = 10.0,
        retry_delays: tuple[float, ...] = (0.05, 0.1),
        checked: bool = False,
    ) -> Desk:
        client = make_client(sim, retries, request_timeout)
        desk_holder: list[AcsDesk] = []
        verifier = (
            CallbackVerifier(CallbackAuth(sim.resource_id, sim.openid_config), ca=sim.ca)
            if checked
            else None
        )  # checked: every callback's signed JWT, as a real deployment should
        receiver = CallbackReceiver(
            lambda e: desk_holder[0].on_incoming(e),
            lambda e: desk_holder[0].on_callback(e),
            verifier=verifier,
        )
        await receiver.start()
        await client.__aenter__()
        opened.append((receiver, client))
        numbers = {alias: sim.acs.pstn_number(alias) or "" for alias in sim.node.conferences}
        desk = AcsDesk(
            client,
            lambda: receiver.callback_url,
            numbers=numbers,
            timeout=transfer_timeout,
            retry_delays=retry_delays,
        )
        desk_holder.append(desk)
        handle = Desk(sim, desk, receiver, client)
        answer = await asyncio.to_thread(
            handle.control, "POST", "/_acs/subscriptions", {"endpoint": receiver.eventgrid_url}
        )
        assert answer.status_code == 201, answer.text
        return handle

    yield make
    for receiver, client in opened:
        await client.close()
        await receiver.stop()


@pytest.fixture
async def acs(desk_factory: Callable[..., Any]) -> Desk:
    desk: Desk = await desk_factory()
    return desk
