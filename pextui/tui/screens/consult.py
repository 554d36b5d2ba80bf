"""Attended transfer, first step: where to, the role there, and the note to its hosts.

The consult dialog is the transfer dialog (target picked from the open and recent
conferences, role, PIN) in its attended mode: a field for the message to the target's
hosts, prefilled with "Bringing you <name> in 2 minutes — OK?". It dismisses with a
:class:`~pextui.tui.screens.transfer.TransferRequest` whose ``message`` is set ('' sends
none), or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence

from pextui.conference.attended import default_message
from pextui.tui.screens.transfer import TransferDialog, TransferRole, TransferTarget


def consult_dialog(
    participant_name: str,
    *,
    role: TransferRole = "guest",
    targets: Sequence[TransferTarget] = (),
    here: str = "",
) -> TransferDialog:
    """The consult dialog for ``participant_name`` (in conference ``here``)."""
    return TransferDialog(
        participant_name,
        role=role,
        targets=targets,
        message=default_message(participant_name),
        here=here,
    )


def is_consult_dialog(screen: object) -> bool:
    return isinstance(screen, TransferDialog) and screen.message is not None
