"""Invite links built by pextui join the simulator with the role they promise (loopback HTTP)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pextui.cli import build_parser
from pextui.commands.connection import join_params
from pextui.links import build_links
from pextui.protocol.client import connect
from pextui.protocol.errors import PinRequiredError
from pextui.sim.config import SimConfig
from pextui.sim.server import SimServer


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(SimConfig(scenario="quiet", seed=1)) as server:
        yield server


async def role_joined_with(url: str) -> str:
    """Join through the same option handling as `pextui watch LINK`; the granted role."""
    args = build_parser("watch").parse_args([url])
    params = join_params(args, env={})
    session = await connect(params)
    try:
        return session.role
    finally:
        await session.close()


@pytest.mark.parametrize("form", ["webapp", "pexip"])
async def test_invite_links_join_with_their_roles(sim: SimServer, form: str) -> None:
    # meet.board: host PIN 1234, guest PIN 5678
    links = build_links(
        sim.base_url,
        "meet.board",
        host_pin="1234",
        guest_pin="5678",
        include_pin=True,
        name="Link User",
    ).to_dict()
    assert await role_joined_with(links[f"guest_{form}"]) == "GUEST"
    assert await role_joined_with(links[f"host_{form}"]) == "HOST"


@pytest.mark.parametrize("form", ["webapp", "pexip"])
async def test_guest_link_without_pin_joins_a_pinless_guest_conference(
    sim: SimServer, form: str
) -> None:
    # meet.demo: host PIN 1234, guests without PIN -> role=guest in the link
    links = build_links(sim.base_url, "meet.demo", host_pin="1234").to_dict()
    assert await role_joined_with(links[f"guest_{form}"]) == "GUEST"


async def test_host_link_without_pin_still_asks_for_it(sim: SimServer) -> None:
    links = build_links(sim.base_url, "meet.demo", host_pin="1234")  # include_pin=False
    with pytest.raises(PinRequiredError):
        await role_joined_with(links.host_webapp)
