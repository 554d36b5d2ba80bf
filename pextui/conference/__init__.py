"""The live conference model: a pure reducer from protocol events to roster, stage and status.

No Textual and no I/O here (a test enforces the Textual part). Usage::

    from pextui.conference import ConferenceStore

    store = ConferenceStore(clock=time.time)   # the only clock it reads
    store.self_uuid = session.participant_uuid
    store.apply(event)                          # every typed event of pextui.protocol.models
    changes = store.drain_changes()             # what to redraw (uuids + flags)

State: ``roster`` (uuid -> ParticipantRecord: ``participant``, ``version``, ``joined_at``,
``last_spoken``, ``pending``), ``status``, ``waiting_room``, ``raised_hands``, ``spotlight``,
``stage``, ``layout``, ``presentation``, ``chat``, ``caption``, ``splash``, ``refer``,
``disconnect_reason``, ``breakouts`` (``rooms``: a ``BreakoutBook`` with each room's own
store, time left and help requests), ``captions`` (a ``CaptionLog``), ``theme`` (for
``splash_text``), ``presentation_frame`` and ``index`` (sorted + filtered view). Host actions:
``store.actions`` (request / confirm / fail / expire); transfers: ``store.transfers``
(request / fail / expire). ``store.snapshot()`` gives everything as JSON-able values.

Costs: a participant event is O(1) dictionary work plus, only when its sort key or filter
match changes, an O(log n) bisect move in a blocked sorted list (at most a few hundred
pointers moved); ``participant_sync_end`` re-sorts once, O(n log n); changing the sort or
the filter re-sorts once.

A console holding a large roster should follow ``RosterGcPolicy`` (see ``gctuning``): the
cyclic GC otherwise re-walks the whole roster again and again.
"""

from pextui.conference.actions import (
    CONFERENCE_CHECKS,
    PARTICIPANT_CHECKS,
    ActionTracker,
    HostAction,
)
from pextui.conference.breakouts import BreakoutBook, BreakoutRoom, HelpRequest
from pextui.conference.captions import CaptionLine, CaptionLog
from pextui.conference.changes import Changes
from pextui.conference.chat import ChatEntry, ChatLog
from pextui.conference.gctuning import RosterGcPolicy, tune_gc_for_large_rosters
from pextui.conference.index import SORT_NAMES, RosterIndex
from pextui.conference.records import ParticipantRecord, PresenterInfo
from pextui.conference.store import ConferenceStore
from pextui.conference.theme import splash_text
from pextui.conference.transfers import Transfer, TransferTracker

__all__ = [
    "CONFERENCE_CHECKS",
    "PARTICIPANT_CHECKS",
    "SORT_NAMES",
    "ActionTracker",
    "BreakoutBook",
    "BreakoutRoom",
    "CaptionLine",
    "CaptionLog",
    "Changes",
    "ChatEntry",
    "ChatLog",
    "ConferenceStore",
    "HelpRequest",
    "HostAction",
    "ParticipantRecord",
    "PresenterInfo",
    "RosterGcPolicy",
    "RosterIndex",
    "Transfer",
    "TransferTracker",
    "splash_text",
    "tune_gc_for_large_rosters",
]
