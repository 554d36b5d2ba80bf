"""The console as `pextui demo` wires it to the simulated ACS: every callback's signed JWT
checked (Pilot, real loopback HTTPS); while the keys cannot be fetched the host is told
once, in a notification and the phone panel's title, and told again when they are back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from pextui.commands.demo import DEMO_ACS_CALLER, demo_acs, demo_acs_session
from pextui.phone.acs.callback_auth import CallbackVerifier
from pextui.phone.acs.session import AcsSession
from pextui.phone.calls import CallBook
from pextui.protocol.client import JoinParams
from pextui.sim.acs.server import AcsServer
from pextui.sim.server import SimServer
from pextui.tui.app import PextuiApp, make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.widgets.phone_panel import PhonePanel
from tests.tui.console_helpers import until as wait_in_app


@dataclass
class Console:
    app: PextuiApp
    pilot: Pilot[Any]
    acs: AcsServer
    session: AcsSession
    shown: list[tuple[str, str, str]] = field(default_factory=list)  # title, text, severity

    @property
    def verifier(self) -> CallbackVerifier:
        assert self.session.endpoint.verifier is not None
        return self.session.endpoint.verifier

    def title(self) -> str:
        return str(self.app.screen.query_one(PhonePanel).query_one("#phone-title", Static).render())

    def rows(self) -> list[list[str]]:
        table: DataTable[Any] = self.app.screen.query_one(PhonePanel).query_one(
            "#phone-calls", DataTable
        )
        return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]

    def warnings(self) -> list[str]:
        return [text for title, text, severity in self.shown if severity == "warning"]

    async def until(self, condition: Callable[[], Any], what: str) -> Any:
        return await wait_in_app(self.pilot, condition, what)


@asynccontextmanager
async def demo_console(sim: SimServer, *, keys_down: bool = False) -> AsyncIterator[Console]:
    acs = demo_acs(sim)
    try:
        if keys_down:
            sim.run_on_loop(lambda: acs.acs.faults.update({"keys-down": 1}))
        session = demo_acs_session(sim, acs, CallBook())
        assert session.endpoint.verifier is not None
        session.endpoint.verifier.refetch_interval = 0.0  # retried every second while down
        join = JoinParams(node_url=sim.base_url, alias="meet.demo", display_name="Host", pin="1234")
        app = make_app(join=join, load_settings=False, acs=session)
        console = Console(app, None, acs, session)  # type: ignore[arg-type]
        original = app.notify

        def notify(
            message: str, *, title: str = "", severity: Any = "information", **kw: Any
        ) -> None:
            console.shown.append((str(title), str(message), str(severity)))
            original(message, title=title, severity=severity, **kw)

        app.notify = notify  # type: ignore[method-assign]
        async with app.run_test(size=(200, 40), notifications=True) as pilot:
            console.pilot = pilot
            await console.until(lambda: isinstance(app.screen, ConferenceScreen), "the conference")
            await console.until(lambda: session.state == "listening", "the ACS endpoint")
            try:
                yield console
            finally:
                await pilot.press("ctrl+q")
    finally:
        acs.stop()


async def test_the_demo_checks_every_callback_and_the_caller_is_answered(sim: SimServer) -> None:
    async with demo_console(sim) as console:
        assert console.verifier.settings.audience == console.acs.resource_id
        assert console.verifier.settings.openid_config.startswith(console.acs.endpoint)
        await console.pilot.press("f3")
        await console.until(lambda: any("Erika" in r[0] for r in console.rows()), "the caller")
        (index,) = [n for n, r in enumerate(console.rows()) if "Erika" in r[0]]
        table: DataTable[Any] = console.app.screen.query_one(PhonePanel).query_one(
            "#phone-calls", DataTable
        )
        table.move_cursor(row=index)
        await console.pilot.press("a")
        await console.until(lambda: console.rows()[index][1] == "talking", "answered")
        assert console.verifier.accepted >= 1 and not console.verifier.refused
        assert console.warnings() == [] and "refused" not in console.title()
        signing = console.acs.state()["signing"]
        assert signing["fetches"] == {"openid": 1, "jwks": 1} and "valid" in signing["signed"]
        assert DEMO_ACS_CALLER[0] in [c["caller"] for c in console.acs.state()["calls"]]


async def test_keys_down_warn_the_host_once_and_recovery_is_told(sim: SimServer) -> None:
    async with demo_console(sim, keys_down=True) as console:
        await console.until(console.warnings, "the warning")
        await console.pilot.press("f3")
        await console.until(lambda: "callbacks refused" in console.title(), "the title")
        await console.until(lambda: console.verifier.fetches >= 3, "two retries")
        (warning,) = console.warnings()  # retried, still down: not said again
        assert warning.startswith("callbacks refused: cannot fetch Call Automation's signing")
        assert ("ACS callbacks", warning, "warning") in console.shown
        console.acs.sim.run_on_loop(lambda: console.acs.acs.faults.update({"keys-down": 0}))
        await console.until(lambda: console.verifier.problem == "", "the keys back")
        await console.until(lambda: "refused" not in console.title(), "the title cleared")
        back = [
            text
            for title, text, severity in console.shown
            if (title, severity) == ("ACS callbacks", "information")
        ]
        assert back == ["Call Automation's signing keys are back"]
        assert len(console.warnings()) == 1
