"""Regenerate screenshots/*.svg: `.venv/bin/python scripts/screenshots.py [--out DIR]`.

Uses the app factory (`pextui.tui.app.make_app`) against an in-process `SimServer` on
loopback running the `demo` scenario (seed 1, 12 extra participants, as `pextui demo`).

What is frozen so that reruns give the same pictures:
* the simulator's conferences read a clock that starts at a fixed instant (EPOCH + 30 s)
  and advances with the monotonic clock; the app's clock is a constant (EPOCH + 12:34.5), so
  durations, hand times and chat stamps do not move; the time zone is UTC;
* the demo scenario is deterministic per seed; the app sees the event stream up to the
  STAGE_STEP-th live `stage` event and then no more (the stream is held, not closed), so
  every screenshot shows the same scenario step;
* the config file is a temporary one (recent conferences are made up; never a PIN).

What may still vary: a participant's "time in meeting" could flip a minute if the machine
stalls for about 30 s, and the event log (hidden by default) lists joins in arrival order.
The phone panel's picture (the demo's simulated PBX, a consult under way) is taken while
the scenario runs on, so its roster may differ from run to run.

Every SVG is checked before it is written: no PIN or token may appear in its text.
"""

from __future__ import annotations

import argparse
import asyncio
import calendar
import html
import os
import re
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "screenshots"
SCRIPTS = Path(__file__).resolve().parent
EPOCH = float(calendar.timegm((2026, 3, 2, 9, 0, 0)))
SIM_START = EPOCH + 30.0  # joins land mid-minute: minute-rounded durations stay put
APP_NOW = EPOCH + 12 * 60 + 34.5
SEED = 1
EXTRA_PARTICIPANTS = 12
SCENARIO_SPEED = 4.0
STAGE_STEP = 11
ALIAS = "meet.demo"
HOST_PIN = "1234"
PINS = ("1234", "5678")
WIDE = (140, 42)
SMALL = (80, 24)
CONNECT = (110, 34)
TEXT_RE = re.compile(r"<text[^>]*>([^<]*)</text>")


class SecretInScreenshot(RuntimeError):
    pass


def svg_text(svg: str) -> str:
    """The visible text of an exported screenshot, in drawing order."""
    return "".join(html.unescape(part) for part in TEXT_RE.findall(svg)).replace("\xa0", " ")


def check_secrets(name: str, svg: str, secrets: set[str]) -> None:
    """Fail if a PIN or a token shows up in the screenshot (its text or its markup)."""
    text = svg_text(svg)
    for secret in secrets:
        if secret and (secret in text or (len(secret) > 8 and secret in svg)):
            raise SecretInScreenshot(f"{name}: a PIN or token is visible; not written")
    if "token=" in text:
        raise SecretInScreenshot(f"{name}: a token query string is visible; not written")


class Shooter:
    """Exports the app's screen to OUT/<name>.svg after the secret check."""

    def __init__(self, out: Path, secrets: set[str]) -> None:
        self.out = out
        self.secrets = secrets
        self.written: list[Path] = []

    def shoot(self, app: Any, name: str, title: str) -> None:
        svg: str = app.export_screenshot(title=title)
        check_secrets(name, svg, self.secrets | set(session_tokens(app)))
        path = self.out / f"{name}.svg"
        path.write_text(svg, encoding="utf-8")
        self.written.append(path)


def session_tokens(app: Any) -> list[str]:
    """The tokens of every open conference (not only the one in front)."""
    sessions = [getattr(c, "session", None) for c in getattr(app, "consoles", ())]
    tokens = [getattr(session, "_token", None) for session in sessions]
    return [token for token in tokens if isinstance(token, str)]


async def settle(pilot: Any, seconds: float = 0.3) -> None:
    """Let timers tick and the screen repaint."""
    await pilot.pause(seconds)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def until(predicate: Callable[[], bool], limit_s: float, what: str) -> None:
    deadline = time.monotonic() + limit_s
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


# -- the conference screens ------------------------------------------------------------------


class Gate:
    """Passes the session's events through until the STAGE_STEP-th live stage event."""

    def __init__(self) -> None:
        self.stages = 0
        self.closed = asyncio.Event()
        self.release = asyncio.Event()
        self.early_stage = False

    def connector(self) -> Callable[[Any], Any]:
        from pextui.protocol.client import connect
        from pextui.protocol.models import ParticipantSyncEndEvent, StageEvent

        gate = self

        async def gated_connect(params: Any) -> Any:
            session = await connect(params)
            batches = session.batches
            synced = False

            def passes(item: Any) -> bool:
                """Count the item; False once the gate closes behind it."""
                nonlocal synced
                if isinstance(item, StageEvent):
                    if synced:
                        gate.stages += 1
                    else:
                        gate.early_stage = True
                elif isinstance(item, ParticipantSyncEndEvent):
                    synced = True
                return gate.stages < STAGE_STEP

            async def gated() -> AsyncIterator[list[Any]]:
                async for batch in batches():
                    for count, item in enumerate(batch, 1):
                        if not passes(item):
                            yield batch[:count]
                            gate.closed.set()
                            await gate.release.wait()
                            return
                    yield batch

            # The console reads its stream a network read at a time (Session.batches).
            setattr(session, "batches", gated)  # noqa: B010 (the stream is held, not changed)
            return session

        return gated_connect


def start_sim() -> Any:
    from pextui.sim.config import SimConfig, Timings
    from pextui.sim.population import populate
    from pextui.sim.server import SimServer

    config = SimConfig(
        scenario="demo",
        seed=SEED,
        participants=0,
        timings=Timings(scenario_speed=SCENARIO_SPEED),
        host="127.0.0.1",
        port=0,
    )
    sim = SimServer(config)
    started = time.monotonic()

    def sim_clock() -> float:
        return SIM_START + (time.monotonic() - started)

    for conference in sim.node.conferences.values():
        conference.clock = sim_clock
    # As Node does for --participants, but after the clock is set.
    main = sim.node.main_conference
    assert main is not None
    populate(main, EXTRA_PARTICIPANTS, SEED)
    return sim.start()


async def conference_shots(shooter: Shooter) -> None:
    from pextui.protocol.client import JoinParams
    from pextui.tui.app import make_app
    from pextui.tui.screens.conference import ConferenceScreen

    sim = start_sim()
    try:
        gate = Gate()
        join = JoinParams(node_url=sim.base_url, alias=ALIAS, display_name="Host", pin=HOST_PIN)
        app = make_app(
            join=join, connector=gate.connector(), clock=lambda: APP_NOW, load_settings=False
        )
        async with app.run_test(size=WIDE) as pilot:
            await asyncio.wait_for(gate.closed.wait(), 60)
            if gate.early_stage:
                raise RuntimeError("joined after the demo's first stage event; run again")
            await until(lambda: isinstance(app.screen, ConferenceScreen), 10, "the conference")
            await settle(pilot, 0.5)
            shooter.shoot(app, "conference", "pextui demo")

            screen = app.screen
            assert isinstance(screen, ConferenceScreen)
            target = participant_named(app, "Bob Smith")
            screen.go_to_participant(target)
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            await pilot.press(*"meet.board")
            await settle(pilot)
            shooter.shoot(app, "transfer", "pextui: transfer a participant")
            await pilot.press("escape")
            await settle(pilot)

            await pilot.press("question_mark")
            await settle(pilot)
            shooter.shoot(app, "help", "pextui: help")
            await pilot.press("escape")
            await settle(pilot)

            screen.go_to_participant(participant_named(app, "Alice Johnson"))
            await pilot.resize_terminal(*SMALL)
            await settle(pilot, 0.5)
            shooter.shoot(app, "conference-80x24", "pextui demo at 80x24")

            gate.release.set()
            await app.leave()
    finally:
        sim.stop()


def participant_named(app: Any, name: str) -> str:
    store = app.store
    for uuid, record in store.roster.items():
        if getattr(record.participant, "display_name", "") == name:
            return str(uuid)
    raise RuntimeError(f"{name} is not in the roster")


# -- the connect screen ----------------------------------------------------------------------


async def connect_shot(shooter: Shooter) -> None:
    from pextui.config import remember_conference
    from pextui.tui.app import make_app
    from pextui.tui.screens.connect import ConnectScreen

    remember_conference("https://pexip.example.com", "board.weekly", "Dana Host", "host")
    remember_conference("https://pexip.example.com", "townhall", "Dana Host", "host")
    app = make_app(clock=lambda: APP_NOW, load_settings=False)
    async with app.run_test(size=CONNECT) as pilot:
        await settle(pilot, 0.5)
        screen = app.screen
        assert isinstance(screen, ConnectScreen)
        screen.fill(
            {"node": "https://pexip.example.com", "alias": "meet.demo", "name": "Dana Host"}
        )
        screen.query_one("#pin").focus()
        await settle(pilot)
        await pilot.press(*HOST_PIN)
        await settle(pilot)
        shooter.shoot(app, "connect", "pextui: connect")


# -- breakout rooms and slides (a quiet simulator: nothing moves but what is set up) ---------


def panel_meeting(base_url: str) -> None:
    """Five guests, two rooms with two each, a room asking for help, Eva presenting."""
    import httpx

    api = f"/api/client/v2/conferences/{ALIAS}/"
    with httpx.Client(base_url=base_url) as http:
        people = {}
        for name in ("Alice Johnson", "Bob Smith", "Carla Diaz", "Deepak Rao", "Eva Novak"):
            reply = http.post(api + "request_token", json={"display_name": name},
                              headers={"pin": "none"})  # fmt: skip
            result = reply.json()["result"]
            people[name] = (result["token"], result["participant_uuid"])
        planner = http.post(api + "request_token", json={"display_name": "Planner"},
                            headers={"pin": HOST_PIN}).json()["result"]  # fmt: skip
        rooms = (("Team Amber", ["Alice Johnson", "Bob Smith"]),
                 ("Team Blue", ["Carla Diaz", "Deepak Rao"]))  # fmt: skip
        for name, members in rooms:
            body = {"name": name, "participants": {"main": [people[m][1] for m in members]}}
            http.post(api + "breakouts", json=body, headers={"token": planner["token"]})
        http.post(api + "breakoutbuzz", headers={"token": people["Carla Diaz"][0]})
        token, uuid = people["Eva Novak"]
        http.post(api + f"participants/{uuid}/take_floor", headers={"token": token})


async def panel_shots(shooter: Shooter) -> None:
    from pextui.protocol.client import JoinParams
    from pextui.sim.config import SimConfig, Timings
    from pextui.sim.server import SimServer
    from pextui.tui.app import make_app
    from pextui.tui.screens.breakouts import BreakoutScreen
    from pextui.tui.widgets.slides import SlidesPane

    os.environ["PEXTUI_IMAGE"] = "halfcell"  # what tmux and SSH get; an SVG cannot hold Sixel
    config = SimConfig(scenario="quiet", seed=SEED, timings=Timings(frame_interval=10_000.0))
    with SimServer(config) as sim:
        await asyncio.to_thread(panel_meeting, sim.base_url)
        join = JoinParams(node_url=sim.base_url, alias=ALIAS, display_name="Host", pin=HOST_PIN)
        app = make_app(join=join, clock=lambda: APP_NOW, load_settings=False)
        async with app.run_test(size=(110, 34)) as pilot:
            await until(lambda: app.store is not None and len(app.store.breakouts) == 2, 20,
                        "the rooms")  # fmt: skip
            await settle(pilot, 0.5)
            await pilot.press("b")
            await until(lambda: isinstance(app.screen, BreakoutScreen), 10, "the view")
            await settle(pilot, 0.6)
            app.clear_notifications()
            await settle(pilot)
            shooter.shoot(app, "breakouts", "pextui: breakout rooms")
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("w")
            pane = app.screen.query_one(SlidesPane)
            await until(lambda: pane.query_one("#slide").image is not None, 20, "a slide")
            await settle(pilot, 0.5)
            shooter.shoot(app, "slides", "pextui: the presentation in the terminal")
            await app.leave()


async def phone_shot(shooter: Shooter) -> None:
    """The phone panel (F3) beside the roster, the operator consulting meet.demo."""
    from pextui.commands.demo import demo_pbx
    from pextui.phone.settings import PbxSettings
    from pextui.phone.yeastar.credentials import Credentials
    from pextui.phone.yeastar.session import YeastarSession
    from pextui.protocol.client import JoinParams
    from pextui.tui.app import make_app
    from pextui.tui.screens.conference import ConferenceScreen

    sim = start_sim()
    pbx = demo_pbx(sim)
    try:
        config = pbx.config
        settings = PbxSettings(pbx.base_url, config.operator, {ALIAS: "8001", "meet.board": "8002"})
        phone = YeastarSession(settings, Credentials(config.client_id, config.client_secret),
                               clock=lambda: APP_NOW)  # fmt: skip
        join = JoinParams(node_url=sim.base_url, alias=ALIAS, display_name="Host", pin=HOST_PIN)
        app = make_app(join=join, clock=lambda: APP_NOW, load_settings=False, phone=phone)
        async with app.run_test(size=(170, 36)) as pilot:
            await until(lambda: isinstance(app.screen, ConferenceScreen), 10, "the conference")
            await until(lambda: phone.state == "connected", 10, "the PBX")
            await settle(pilot, 0.5)
            await pilot.press("f3")
            await settle(pilot, 0.5)
            await pilot.press("c")
            await until(lambda: "Reception 2005" in roster_names(app), 10, "the consult call")
            await settle(pilot, 0.6)
            tokens = {phone.client.tokens.access} if phone.client.tokens else set()
            shooter.secrets |= tokens | {config.client_secret}
            shooter.shoot(app, "phone", "pextui demo: the phone desk")
            await pilot.press("x")
            await settle(pilot)
            await phone.stop()
            await app.leave()
    finally:
        pbx.stop()
        sim.stop()


def roster_names(app: Any) -> list[str]:
    store = app.store
    return [r.participant.display_name for r in store.roster.values()] if store else []


async def main_async(out: Path) -> list[Path]:
    shooter = Shooter(out, set(PINS))
    await connect_shot(shooter)
    await conference_shots(shooter)
    await phone_shot(shooter)
    await panel_shots(shooter)
    sys.path.insert(0, str(SCRIPTS))
    from multi_shot import two_conferences_shot

    await two_conferences_shot(shooter, start_sim, settle, until, WIDE, APP_NOW, HOST_PIN)
    return shooter.written


def main() -> int:
    parser = argparse.ArgumentParser(description="Regenerate the SVG screenshots.")
    parser.add_argument("--out", type=Path, default=OUT, help="output directory")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory(prefix="pextui-shots-") as home:
        os.environ["PEXTUI_CONFIG"] = str(Path(home) / "config.toml")
        try:
            written = asyncio.run(main_async(args.out))
        except SecretInScreenshot as error:
            print(f"screenshots: {error}", file=sys.stderr)
            return 1
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
