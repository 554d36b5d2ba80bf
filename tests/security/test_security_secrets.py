"""A full console session, then everything the app wrote is searched for the PIN and tokens.

The PIN comes from PEXTUI_PIN (the path of `pextui --node ... --alias ...`) or is typed on
the connect screen; the tokens are every token the simulator issued (its own truth,
recorded as they are made): join, refreshes every 2 s (6 s lifetime), re-requests.
Searched: the DEBUG log file, the saved event log, the config file, a screenshot (SVG),
and the process's stdout/stderr.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from pextui.cli import build_parser
from pextui.commands.connection import join_params
from pextui.logs import setup_logging, shutdown_logging
from pextui.sim import tokens as sim_tokens
from pextui.sim.config import SimConfig, Timings, VmrConfig
from pextui.sim.server import SimServer
from pextui.tui.app import make_app
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.connect import ConnectScreen
from tests.chaos.chaos_console import Console
from tests.tui.console_helpers import settled

PIN = "80421937"
GUEST_PIN = "66150342"
ALIAS = "secret.room"
WAIT_S = 60  # generous: a loaded machine is slow, and a met condition returns at once


@pytest.fixture
def issued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token the simulator issues from now on (the simulator's truth)."""
    made: list[str] = []
    original = sim_tokens.new_token

    def recording() -> str:
        token = original()
        made.append(token)
        return token

    monkeypatch.setattr(sim_tokens, "new_token", recording)
    return made


@pytest.fixture
def secret_sim() -> Iterator[SimServer]:
    config = SimConfig(
        vmrs=[VmrConfig(ALIAS, host_pin=PIN, guest_pin=GUEST_PIN)],
        participants=8,
        # Refreshed every 2 s: the token survives the test process being starved of CPU for
        # up to 4 s on a loaded machine (a 3 s token expired at the node under load).
        token_expires=6,
        faults={"drop-stream-every": 1.0},
        timings=Timings(refresh_grace=0.5, keepalive=0.5, expiry_sweep=0.1),
    )
    with SimServer(config) as sim:
        yield sim


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Config, log and saved files of the session all land under one private folder."""
    monkeypatch.setenv("PEXTUI_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # saved event logs go here
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # anything written to the working directory is searched too
    setup_logging(tmp_path / "log" / "pextui.log", "DEBUG")
    logging.getLogger().setLevel(logging.DEBUG)
    yield tmp_path
    shutdown_logging()


def leaks(folder: Path, texts: dict[str, str], secrets: list[str]) -> list[str]:
    """Where any secret appears: files under `folder` and the named texts."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        texts[str(path.relative_to(folder))] = path.read_text(errors="replace")
    for where, text in texts.items():
        found += [f"{where} holds {secret[:4]}…" for secret in secrets if secret in text]
    return found


async def work_the_meeting(console: Console) -> None:
    """Actions, chat, a saved event log, a screenshot, time for refreshes and reconnects."""
    store = console.store
    await console.until(lambda: len(store.roster) > 1, WAIT_S, "the roster")
    guest = next(u for u in sorted(store.roster) if u != store.self_uuid)
    await console.cursor_on(guest)
    for key in ("m", "L", "v", "L"):
        await console.press(key)
        await settled(console.pilot)
    await console.press("c")
    # focus moves on a later turn of the app's loop: typing sooner would give the keys to
    # the roster (under load the chat text ran as roster commands)
    chat = console.screen.query_one("#chat-input", Input)
    await console.until(lambda: chat.has_focus, WAIT_S, "the chat input")
    await console.pilot.press(*"hello from the host", "enter")
    await console.until(
        lambda: any("Send chat message: sent" in line for line in console.log_lines()),
        WAIT_S,
        "the chat sent",
    )
    session = console.app.session
    assert session is not None
    await console.until(lambda: session.refreshes >= 3, WAIT_S, "three token refreshes")
    await console.until(lambda: session.stream_connections >= 3, WAIT_S, "stream reconnects")
    roster = console.screen.query_one("#roster")
    roster.focus()
    await console.until(lambda: roster.has_focus, WAIT_S, "the roster's focus")
    await console.press("E")
    await console.until(
        lambda: list(Path.cwd().parent.rglob("event-logs/pextui-events-*.log")), WAIT_S, "saved log"
    )
    console.app.save_screenshot(path=str(Path.cwd()), filename="screen.svg")


async def test_pin_from_the_environment_and_tokens_never_written(
    secret_sim: SimServer,
    issued: list[str],
    home: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    args = build_parser(None).parse_args(["--node", secret_sim.base_url, "--alias", ALIAS])
    params = join_params(args, env={"PEXTUI_PIN": PIN})
    app = make_app(join=params)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        console = Console(app, pilot, tally=None)  # type: ignore[arg-type]
        await console.until(
            lambda: isinstance(app.screen, ConferenceScreen) and len(console.store.roster) > 8,
            WAIT_S,
            "the conference",
        )
        await work_the_meeting(console)
        await pilot.press("ctrl+q")
        await console.until(lambda: app.session is None, WAIT_S, "the leave")
    out, err = capfd.readouterr()
    log_text = (home / "log" / "pextui.log").read_text()
    assert "HTTP Request" in log_text and "refreshed" in log_text  # the log saw it all
    assert "token=***" in log_text or "token=[redacted]" in log_text
    assert (home / "work" / "screen.svg").stat().st_size > 1000
    assert len(issued) >= 4, "expected the join token and several refreshed ones"
    assert leaks(home, {"stdout": out, "stderr": err}, [PIN, *issued]) == []


async def test_pin_typed_on_the_connect_screen_never_written(
    secret_sim: SimServer,
    issued: list[str],
    home: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    app = make_app()  # no join: the connect screen, remembering the conference in the config
    async with app.run_test(size=(100, 36), notifications=True) as pilot:
        console = Console(app, pilot, tally=None)  # type: ignore[arg-type]
        screen = await console.until(
            lambda: (
                isinstance(app.screen, ConnectScreen) and app.screen.query("#pin") and app.screen
            ),
            WAIT_S,
            "the connect screen's fields",
        )
        for field_id, value in (
            ("node", secret_sim.base_url),
            ("alias", ALIAS),
            ("name", "Secret Host"),
            ("pin", PIN),
        ):
            screen.query_one(f"#{field_id}", Input).value = value
        alias = screen.query_one("#alias", Input)
        alias.focus()
        await console.until(lambda: alias.has_focus, WAIT_S, "the alias field's focus")
        await pilot.press("enter")
        await console.until(lambda: isinstance(app.screen, ConferenceScreen), WAIT_S, "the join")
        await work_the_meeting(console)
        await pilot.press("ctrl+q")
        await console.until(lambda: app.session is None, WAIT_S, "the leave")
    out, err = capfd.readouterr()
    config = home / "config" / "config.toml"
    assert ALIAS in config.read_text(), "the conference was remembered"
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o600
    assert leaks(home, {"stdout": out, "stderr": err}, [PIN, *issued]) == []
