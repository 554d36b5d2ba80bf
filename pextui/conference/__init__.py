"""The live conference model: a pure reducer from protocol events to roster, stage and status.

No Textual and no I/O here (a test enforces the Textual part).

``from pextui.conference import ConferenceStore``
"""

from pextui.conference.actions import ActionTracker, HostAction
from pextui.conference.changes import Changes
from pextui.conference.chat import ChatEntry, ChatLog
from pextui.conference.index import SORT_NAMES, RosterIndex
from pextui.conference.records import ParticipantRecord
from pextui.conference.store import BreakoutRoom, ConferenceStore, PresenterInfo
from pextui.conference.transfers import Transfer, TransferTracker

__all__ = [
    "SORT_NAMES",
    "ActionTracker",
    "BreakoutRoom",
    "Changes",
    "ChatEntry",
    "ChatLog",
    "ConferenceStore",
    "HostAction",
    "ParticipantRecord",
    "PresenterInfo",
    "RosterIndex",
    "Transfer",
    "TransferTracker",
]
