"""5 % of requests answered 502/503 and 300 ms latency on every request.

The host works the console by keys and dialogs (mute, video, spotlight, lock, mute guests,
dial out, transfer). Every action must end confirmed by the server or failed with the
reason shown in the event log and a notification; none may stay silent. Dial-outs and
transfers are not idempotent: the simulator counts what it received and nothing may arrive
twice (the client must not retry them).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual.widgets import Input

from pextui.conference.actions import HostAction
from pextui.tui.screens.dial import DialDialog
from pextui.tui.screens.transfer import TransferDialog
from tests.chaos.chaos_console import Console, running_console
from tests.chaos.chaos_figures import Figures
from tests.chaos.chaos_helpers import (
    LONG_RUN,
    RequestCounter,
    Variant,
    chaos_config,
    control,
    counting_sim,
)

VARIANTS = [
    Variant("short", 2.0),
    pytest.param(Variant("long", 60.0), marks=LONG_RUN),
]
FAULTS = {"error-rate": 0.05, "latency-ms": 300}
KEYS = ("m", "v", "s", "m", "v", "s", "L", "G")
MIN_ROUNDS = 8  # however slow the machine, at least this many rounds of actions


async def open_dialog(console: Console, key: str, kind: type[Any]) -> Any:
    await console.press(key)
    return await console.until(
        lambda: isinstance(console.app.screen, kind) and console.app.screen, 5, kind.__name__
    )


async def dial(console: Console, destination: str) -> None:
    dialog = await open_dialog(console, "n", DialDialog)
    dialog.query_one("#destination", Input).value = destination
    dialog.action_submit()
    await console.until(lambda: console.app.screen is console.screen, 5, "the dialog closed")


async def transfer(console: Console, uuid: str) -> None:
    await console.cursor_on(uuid)
    dialog = await open_dialog(console, "t", TransferDialog)
    dialog.query_one("#alias", Input).value = "meet.board"
    dialog.query_one("#pin", Input).value = "5678"
    dialog.action_submit()
    await console.until(lambda: console.app.screen is console.screen, 5, "the dialog closed")


def failure_shown(console: Console, description: str, reason: str) -> bool:
    """The reason is in the event log next to the action and in a notification."""
    logged = any(f"{description} failed: {reason}" in line for line in console.log_lines())
    notified = any(n.severity == "error" and reason in n.message for n in console.notifications)
    return bool(reason) and logged and notified


def settled(console: Console) -> bool:
    store = console.store
    return all(a.settled for a in store.actions) and not store.transfers.active()


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
async def test_host_actions_under_errors_and_latency(variant: Variant, figures: Figures) -> None:
    sim, counter = counting_sim(chaos_config(participants=40, faults=FAULTS))
    try:
        async with running_console(sim, participants=41) as console:
            started = time.monotonic()
            await work_the_meeting(console, sim, counter, variant, figures)
            figures.seconds = round(time.monotonic() - started, 1)
    except AssertionError:
        raise
    except BaseException:
        figures.crashes += 1
        raise
    finally:
        sim.stop()


async def work_the_meeting(
    console: Console, sim: Any, counter: RequestCounter, variant: Variant, figures: Figures
) -> None:
    store = console.store
    others = sorted(u for u in store.roster if u != store.self_uuid)
    to_transfer, others = others[:8], others[8:]
    destinations: list[str] = []
    transfers: list[str] = []
    round_ = 0
    deadline = time.monotonic() + variant.seconds
    while round_ < MIN_ROUNDS or time.monotonic() < deadline:
        key = KEYS[round_ % len(KEYS)]
        if key in "mvs":
            await console.cursor_on(others[round_ % len(others)])
        await console.press(key)
        if round_ % 3 == 2:
            destinations.append(f"room{len(destinations)}@example.com")
            await dial(console, destinations[-1])
        if round_ % 4 == 3 and to_transfer:
            transfers.append(to_transfer.pop())
            await transfer(console, transfers[-1])
        round_ += 1
    # one action while every request fails: its failure must be shown too
    await control(sim, {"faults": {"error-rate": 1, "latency-ms": 300}})
    destinations.append("forced-failure@example.com")
    await dial(console, destinations[-1])
    await console.until(
        lambda: any(a.kind == "dial" and a.state == "failed" for a in store.actions),
        10,
        "the forced failure",
    )
    await control(sim, {"faults": FAULTS})
    await console.until(lambda: settled(console), 20, "every action settled")

    actions: list[HostAction] = list(store.actions)
    completed = [a for a in actions if a.state == "confirmed"]
    failed = [a for a in actions if a.state == "failed"]
    visible = [a for a in failed if failure_shown(console, a.description, a.reason)]
    outcomes = store.transfers.recent()
    moved = [t for t in outcomes if t.succeeded]  # left (the target is not open here)
    transfer_failed = [
        t
        for t in outcomes
        if t.state in ("failed", "timed_out", "rejected") and failure_shown(console, "", t.reason)
    ]
    figures.actions = len(actions) + len(transfers)
    figures.actions_completed = len(completed) + len(moved)
    figures.actions_failed_visibly = len(visible) + len(transfer_failed)
    figures.actions_lost = (
        figures.actions - figures.actions_completed - (figures.actions_failed_visibly)
    )
    figures.events_applied = console.tally.events
    figures.reconnects = console.tally.states["stream.connected"] - 1
    # what the simulator received: every dial and transfer request exactly once
    board = {p["uuid"] for c in sim.state()["conferences"] if c["alias"] == "meet.board"
             for p in c["participants"]}  # fmt: skip
    twice = sum(1 for (name, _), n in counter.targets.items() if name == "transfer" and n > 1)
    extra_dials = counter.received["dial"] - len(destinations)
    extra_transfers = counter.received["transfer"] - len(transfers)
    figures.duplicates = twice + max(0, extra_dials) + max(0, extra_transfers)
    figures.notes = (
        f"{counter.received['dial']} dial and {counter.received['transfer']} transfer requests "
        f"received for {len(destinations)} dials and {len(transfers)} transfers; "
        f"{sum(n for (_, s), n in counter.answered.items() if s in (502, 503))} answered 502/503"
    )
    assert len(actions) >= MIN_ROUNDS and transfers, "the scenario issued too few actions"
    assert figures.actions_lost == 0, [
        (a.description, a.state, a.reason) for a in actions if a not in completed + visible
    ]
    assert counter.received["dial"] == len(destinations), "a dial-out was sent twice or lost"
    assert counter.received["transfer"] == len(transfers), "a transfer was sent twice or lost"
    assert twice == 0
    dial_ok = sum(1 for a in actions if a.kind == "dial" and a.state == "confirmed")
    assert counter.handled("dial") == dial_ok
    assert {t.participant_uuid for t in moved} == set(transfers) & board
