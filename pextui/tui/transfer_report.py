"""What a conference screen says about its transfers: one line in the event log (and a
notification) per change of state, and the label on the participant's row.

Each :class:`~pextui.conference.transfers.Transfer` keeps its history; the reporter
remembers how much of it was reported, so every change is said once, however often the
store's ``transfers`` flag is raised. Row labels read ``→ meet.board: left``.
"""

from __future__ import annotations

from collections.abc import Callable

from pextui.conference import ConferenceStore, Transfer
from pextui.sanitize import safe_text

Note = Callable[[str, str], None]  # (text, level)
Notify = Callable[..., None]

STATE_WORDS = {
    "requested": "requested",
    "left": "left",
    "arrived": "arrived",
    "failed": "failed",
    "timed_out": "timed out",
    "rejected": "rejected",
}
ROW_STATES = ("requested", "left", "arrived")  # shown on a row still in the roster


def state_word(transfer: Transfer) -> str:
    return STATE_WORDS.get(transfer.state, transfer.state)


def row_label(transfer: Transfer) -> str:
    return f"→ {safe_text(transfer.target_alias, 24)}: {state_word(transfer)}"


def describe(transfer: Transfer, state: str) -> tuple[str, str, str, str] | None:
    """(log text, level, notification title, notification text) for one change, or None."""
    name = safe_text(transfer.display_name, 60) or "participant"
    alias = safe_text(transfer.target_alias, 60)
    reason = safe_text(transfer.reason, 200)
    if state == "left":
        if transfer.watched:  # the target is observed: the arrival is still to come
            return (f"{name} left for {alias}", "info", "", "")
        return (
            f"{name} transferred to {alias} (left this conference)",
            "ok",
            "Transferred",
            f"{name} → {alias}",
        )
    if state == "arrived":
        return (f"{name} arrived in {alias}", "ok", "Arrived", f"{name} → {alias}")
    if state == "failed":
        return (
            f"Transfer of {name} to {alias} failed: {reason}",
            "error",
            f"Transfer of {name} failed",
            reason,
        )
    if state == "timed_out":
        return (
            f"Transfer of {name} to {alias} timed out: {reason}",
            "warn",
            f"Transfer of {name} timed out",
            reason,
        )
    if state == "rejected":
        text = f"rejected after it started: {reason}"
        return (
            f"Transfer of {name} to {alias} {text}",
            "error",
            f"Transfer of {name} rejected",
            text,
        )
    return None  # requested: the console noted the request itself


class TransferReporter:
    """Reports each change of one store's transfers once, and labels their rows."""

    def __init__(self, note: Note, notify: Notify) -> None:
        self._note = note
        self._notify = notify
        self.reset()

    def reset(self) -> None:
        """A new store (a followed transfer, a rejoin): its transfer ids start again."""
        self._reported: dict[int, int] = {}
        self._labels: dict[str, str] = {}

    def label(self, uuid: str) -> str:
        return self._labels.get(uuid, "")

    def changed(self, store: ConferenceStore) -> set[str]:
        """Report what changed since the last call; the uuids whose row label changed."""
        labels: dict[str, str] = {}
        for transfer in store.transfers:
            seen = self._reported.get(transfer.id, 0)
            for _, state in transfer.history[seen:]:
                said = describe(transfer, state)
                if said is not None:
                    text, level, title, message = said
                    self._note(text, level)
                    if title:
                        severity = {"error": "error", "warn": "warning"}.get(level, "information")
                        self._notify(message, title=title, severity=severity)
            self._reported[transfer.id] = len(transfer.history)
            uuid = transfer.participant_uuid
            if transfer.state in ROW_STATES and uuid in store.roster:
                labels[uuid] = row_label(transfer)
            elif uuid in labels and transfer.state not in ROW_STATES:
                del labels[uuid]  # a newer transfer of the same participant settled
        before, self._labels = self._labels, labels
        return {u for u in before.keys() | labels.keys() if before.get(u) != labels.get(u)}
