"""`pextui do ... transfer --participant NAME --to ALIAS [--role host|guest] [--wait SECONDS]`.

Without `--wait` the command ends when the server accepts the transfer. With `--wait` it
first joins the target with a short-lived session of its own (the observer), then asks for
the transfer and follows both rosters with the console's own model (two
``ConferenceStore``s linked by a ``TransferHub``): it exits 0 when the participant is seen
arriving in the target, printing one JSON line
``{"outcome": "arrived", "from": ..., "to": ..., "uuid": ..., "seconds": ...}``, and 1
otherwise, printing the outcome (failed, timed_out, rejected) with the reason as one JSON
line and the reason once on stderr.

The observer's PIN: ``$PEXTUI_TRANSFER_PIN`` (the target's PIN, also sent with the
transfer), else the PIN this command joined the source with, else none (as a guest where
guests need no PIN), else a prompt on a terminal; a PIN is never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import sys
from collections.abc import Callable
from dataclasses import replace

from pextui.commands.connection import EXIT_FAILED, EXIT_OK, explain, join, join_params
from pextui.conference import ConferenceStore
from pextui.conference.transfer_hub import TransferHub
from pextui.conference.transfers import Transfer
from pextui.protocol.client import NO_PIN, JoinParams
from pextui.protocol.errors import (
    ConferenceNotFoundError,
    InvalidPinError,
    PexipError,
    PinRequiredError,
    protect_secret,
    without_failed_prefix,
)
from pextui.protocol.models import ParticipantSyncEndEvent
from pextui.protocol.session import Session
from pextui.protocol.stream import Ended, is_event
from pextui.sanitize import json_text, safe_text

TRANSFER_PIN_ENV = "PEXTUI_TRANSFER_PIN"
OBSERVER_SUFFIX = " (transfer watch)"
SYNC_TIMEOUT_S = 15.0
POLL_S = 0.05  # how often the timeout is checked while waiting


class WatchError(Exception):
    """The target could not be observed (the reason, already worded for the host)."""

    def __init__(self, message: str, *, no_conference: bool = False) -> None:
        super().__init__(message)
        self.no_conference = no_conference  # the alias names no conference (a gateway?)


def transfer_pin() -> str | None:
    pin = os.environ.get(TRANSFER_PIN_ENV) or None
    protect_secret(pin)
    return pin


def target_of(values: list[str], args: argparse.Namespace) -> str:
    """The target alias: `--to ALIAS` or the positional value (not both, not neither)."""
    to = getattr(args, "to", None)
    if to and values and values[0] != to:
        raise ValueError("give the target once: --to ALIAS or a positional ALIAS")
    target = to or (values[0] if values else "")
    if not target:
        raise ValueError("transfer needs --to ALIAS")
    return str(target)


async def observe(params: JoinParams, target: str) -> Session:
    """Join `target` to watch its roster, trying each PIN the rules allow."""
    watch = replace(
        params,
        alias=target,
        conference_extension=None,
        display_name=(params.display_name + OBSERVER_SUFFIX)[:250],
    )
    last: PexipError | None = None
    for pin in dict.fromkeys((transfer_pin(), params.pin, NO_PIN)):
        if pin is None:
            continue
        try:
            return await join(replace(watch, pin=pin), ask_pin=lambda _: None)
        except (InvalidPinError, PinRequiredError) as exc:
            last = exc
        except ConferenceNotFoundError as exc:
            raise WatchError(f"cannot watch {target}: {explain(exc)}", no_conference=True) from None
        except PexipError as exc:
            raise WatchError(f"cannot watch {target}: {explain(exc)}") from None
    if sys.stdin.isatty():
        try:
            return await join(replace(watch, pin=None))  # asks for the PIN
        except PexipError as exc:
            last = exc
    assert last is not None
    hint = f" (set {TRANSFER_PIN_ENV} to the target's PIN)"
    raise WatchError(f"cannot watch {target}: {explain(last)}{hint}")


def _named(alias: str) -> Callable[[], str]:
    return lambda: alias


async def _pump(session: Session, store: ConferenceStore, synced: asyncio.Event) -> str:
    """Apply `session`'s events to `store` until it ends; returns why it ended."""
    async for item in session.events():
        if isinstance(item, Ended):
            return item.reason
        if is_event(item):
            store.apply(item)
        if isinstance(item, ParticipantSyncEndEvent):
            synced.set()
    return "the stream ended"


async def transfer_and_wait(
    source: Session,
    uuid: str,
    target: str,
    role: str,
    wait_s: float,
    args: argparse.Namespace,
) -> int:
    """The transfer, watched at both ends; prints the outcome. Returns the exit status.

    A target that is no conference (a gateway alias) cannot be watched: only the source
    is, so the outcome is rejected, failed or timed out."""
    params = join_params(args, stderr=io.StringIO())  # warnings were printed already
    observer: Session | None = None
    try:
        observer = await observe(replace(params, alias=source.alias), target)
    except WatchError as exc:
        if not exc.no_conference:
            print(f"pextui: {exc}", file=sys.stderr)
            return EXIT_FAILED
    here = ConferenceStore(self_uuid=source.participant_uuid, transfer_timeout=wait_s)
    stores: dict[str, ConferenceStore] = {source.alias: here}
    watched = [(source, here)]
    if observer is not None:
        stores[target] = ConferenceStore(self_uuid=observer.participant_uuid)
        watched.append((observer, stores[target]))
    hub = TransferHub(lambda: list(stores.items()))
    for alias, store in stores.items():
        hub.attach(store, _named(alias))
    synced = [asyncio.Event() for _ in watched]
    pumps = [
        asyncio.create_task(_pump(session, store, event))
        for (session, store), event in zip(watched, synced, strict=True)
    ]
    try:
        async with contextlib.AsyncExitStack() as stack:
            if observer is not None:
                await stack.enter_async_context(observer)
            async with asyncio.timeout(SYNC_TIMEOUT_S):
                await asyncio.gather(*(event.wait() for event in synced))
            transfer_id = here.transfers.request(
                uuid, target, role, source_alias=source.alias, watched=True
            )
            transfer = here.transfers.get(transfer_id)
            assert transfer is not None
            if not transfer.settled:
                try:
                    await source.transfer(uuid, target, role, transfer_pin())
                except PexipError as exc:
                    here.transfers.fail(transfer_id, _reason(exc))
            await _settled(transfer, here, pumps)
    except TimeoutError:
        print(f"pextui: the rosters of {source.alias} and {target} did not sync", file=sys.stderr)
        return EXIT_FAILED
    finally:
        for pump in pumps:
            pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, PexipError):
            await asyncio.gather(*pumps, return_exceptions=True)
    if observer is None and transfer.state == "timed_out":
        transfer.reason += f" ({target} is no conference: an arrival there cannot be seen)"
    return report(transfer, source.alias)


async def _settled(
    transfer: Transfer, store: ConferenceStore, pumps: list[asyncio.Task[str]]
) -> None:
    """Wait until the transfer settles: arrived, rejected, or expired after its timeout;
    when both streams end first, it times out at once."""
    while True:
        store.transfers.expire()
        if transfer.settled:
            return
        if all(pump.done() for pump in pumps):
            store.transfers.expire(transfer.requested_at + transfer.timeout)
            return
        running = [pump for pump in pumps if not pump.done()]
        await asyncio.wait(running, timeout=POLL_S, return_when=asyncio.FIRST_COMPLETED)


def _reason(error: PexipError) -> str:
    return without_failed_prefix(safe_text(error.reason or str(error), 200)) or type(error).__name__


def report(transfer: Transfer, source_alias: str, out: Callable[[str], object] = print) -> int:
    """One JSON line with the outcome; the reason once on stderr when it did not arrive."""
    end = transfer.arrived_at if transfer.arrived_at is not None else transfer.settled_at
    seconds = round(max(0.0, (end or transfer.requested_at) - transfer.requested_at), 3)
    line: dict[str, object] = {
        "outcome": transfer.state,
        "from": source_alias,
        "to": transfer.target_alias,
        "uuid": transfer.arrived_uuid or transfer.participant_uuid,
        "seconds": seconds,
    }
    if transfer.state == "arrived":
        out(json_text(line))
        return EXIT_OK
    line["reason"] = transfer.reason
    out(json_text(line))
    word = {"timed_out": "timed out", "rejected": "rejected after it started"}
    label = word.get(transfer.state, transfer.state)
    print(f"pextui: transfer {label}: {safe_text(transfer.reason, 200)}", file=sys.stderr)
    return EXIT_FAILED
