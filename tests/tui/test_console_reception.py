"""Joined through a Virtual Reception: the status bar names the conference (and the reception
it came through), and the invite links lead to the conference the console is in."""

from __future__ import annotations

from pextui.links import parse_link
from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.sim.server import SimServer
from pextui.tui.screens.invite import InviteDialog
from tests.tui.console_helpers import HOST_PIN, running_console, sim_conference, sim_participant


async def test_reception_join_names_the_conference_and_its_links_lead_there(
    simulator: SimServer,
) -> None:
    async with running_console(simulator, guests=("Alice",), via_reception="reception") as console:
        session = console.app.session
        assert session is not None
        assert session.alias == "reception"  # the requests still go through the reception
        assert (session.reception, session.conference_alias) == ("reception", "meet.demo")
        assert console.app.current is not None and console.app.current.alias == "meet.demo"
        await console.until(lambda: "meet.demo via reception" in console.status_text(), "status")
        assert "Demo Meeting" in console.status_text()

        await console.press("i")
        invite = await console.until(
            lambda: isinstance(console.app.screen, InviteDialog) and console.app.screen, "invite"
        )
        links = dict(invite.links)
        assert len(links) == 4
        for url in links.values():
            link = parse_link(url)
            assert (link.alias, link.extension) == ("reception", "meet.demo"), url
        await console.press("escape")

        # Each web app link, joined as its role says, lands in meet.demo.
        joined = []
        for label, pin in (("Guest, web app", NO_PIN), ("Host, web app", HOST_PIN)):
            link = parse_link(links[label])
            assert link.node is not None
            guest = await connect(
                JoinParams(
                    node_url=link.node,
                    alias=link.alias,
                    display_name=f"From {label}",
                    pin=pin,
                    conference_extension=link.extension,
                )
            )
            joined.append(guest)
        try:
            found = [sim_participant(simulator, g.participant_uuid, "meet.demo") for g in joined]
            assert [(p or {}).get("role") for p in found] == ["guest", "chair"]
        finally:
            for guest in joined:
                await guest.close()

        # A host call still works through the reception's alias.
        await console.press("L")
        await console.until(lambda: sim_conference(simulator)["status"]["locked"], "locked")
