"""The one table of the conference screen's actions.

Every fact about an action lives in one row: its key, label and tooltip (the bindings, the
footer and the help), its help group, whether only a host may use it and whether it acts on
the participant under the cursor (``check_action``), the server capability it needs, and the
word shown on a participant's row while it is pending. The footer, the help screen, the
command palette and ``check_action`` all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType

Group = Literal["Participant", "Conference", "Navigation"]


@dataclass(frozen=True, slots=True)
class HostAction:
    """One action of the conference screen."""

    action: str
    key: str
    label: str
    tooltip: str
    group: Group
    show: bool = True  # in the footer (when it fits)
    host_only: bool = False  # disabled for a guest
    on_cursor: bool = False  # acts on the cursor's participant (or the selection)
    capability: str = ""  # the participant's `<capability>_supported` flag it needs
    namespace: str = ""  # "app": an action of the app (the conferences' tabs)

    @property
    def target(self) -> str:
        """The binding's action: ``app.next_conference`` for an app action."""
        return f"{self.namespace}.{self.action}" if self.namespace else self.action

    def binding(self) -> Binding:
        return Binding(
            self.key, self.target, self.label, id=self.binding_id, tooltip=self.tooltip,
            show=self.show,
        )  # fmt: skip

    @property
    def binding_id(self) -> str:
        """The keymap id: the action's name (``switch_conference_2`` for alt+2)."""
        return self.action.replace("(", "_").rstrip(")")


def _p(
    action: str, key: str, label: str, tooltip: str, *, show: bool = True, capability: str = ""
) -> HostAction:
    """A participant action: host only, on the cursor's participant."""
    return HostAction(action, key, label, tooltip, "Participant", show, True, True, capability)


def _c(action: str, key: str, label: str, tooltip: str, *, show: bool = False) -> HostAction:
    """A conference action: host only."""
    return HostAction(action, key, label, tooltip, "Conference", show, True)


def _n(action: str, key: str, label: str, tooltip: str, *, show: bool = False) -> HostAction:
    """A view action: anyone."""
    return HostAction(action, key, label, tooltip, "Navigation", show)


def _tab(action: str, key: str, label: str, tooltip: str, *, show: bool = False) -> HostAction:
    """An action of the app on the open conferences (works on every conference's screen)."""
    return HostAction(action, key, label, tooltip, "Navigation", show, namespace="app")


# What Textual 8 reports for alt+1..alt+9 from most terminals (ESC then the digit, as
# tmux and SSH pass it on): the characters macOS's Option key types on the top row
# (¡ ™ £ ¢ ∞ § ¶ • ª), which such terminals send themselves. Bound beside alt+N.
ALT_DIGIT_KEYS = (
    "inverted_exclamation_mark",
    "trade_mark_sign",
    "pound_sign",
    "cent_sign",
    "infinity",
    "section_sign",
    "pilcrow_sign",
    "bullet",
    "ª",
)

# Keys that work over SSH and in tmux (no ctrl+tab): [ ] and alt+1..9.
TAB_ACTIONS: tuple[HostAction, ...] = (
    _tab("prev_conference", "left_square_bracket", "Prev conf", "The previous conference (tab)"),
    _tab(
        "next_conference",
        "right_square_bracket",
        "Next conf",
        "The next conference (tab)",
        show=True,
    ),
    _tab("join_another", "J", "Join another", "Join another conference (opens a new tab)"),
    *(
        _tab(
            f"switch_conference({n})",
            f"alt+{n},{ALT_DIGIT_KEYS[n - 1]}",
            "Conference N",
            "Go to the N-th conference",
        )
        for n in range(1, 10)
    ),
)
TAB_BINDINGS: list[BindingType] = [action.binding() for action in TAB_ACTIONS]

# Participant actions act on the selection (space) or, without one, on the cursor's row.
ACTIONS: tuple[HostAction, ...] = (
    _p(
        "mute",
        "m",
        "Mute",
        "Mute or unmute the participant's audio (or the selection)",
        capability="mute",
    ),
    _p("video", "v", "Video", "Mute or unmute the participant's video (or the selection)"),
    _p("spotlight", "s", "Spotlight", "Spotlight the participant on or off"),
    _p("role", "r", "Role", "Make the participant host or guest", show=False),
    _p(
        "transfer",
        "t",
        "Transfer",
        "Transfer the participant to another conference",
        capability="transfer",
    ),
    _p(
        "attended_transfer",
        "T",
        "Attended",
        "Attended transfer: consult the target conference first, then complete, abort or swap",
        show=False,
        capability="transfer",
    ),
    HostAction(
        "admit",
        "a",
        "Admit",
        "Admit the participant from the waiting room (first waiting)",
        "Participant",
        host_only=True,
    ),
    HostAction(
        "admit_all",
        "A",
        "Admit all",
        "Admit everyone in the waiting room",
        "Participant",
        show=False,
        host_only=True,
    ),
    _p(
        "disconnect",
        "x",
        "Kick",
        "Disconnect the participant (asks first)",
        capability="disconnect",
    ),
    _p("lower_hand", "h", "Lower hand", "Lower the participant's raised hand", show=False),
    _p("overlay", "o", "Overlay", "Set the participant's overlay text", show=False),
    _p("presentation", "p", "Rx pres", "Allow or deny receiving presentation", show=False),
    _p("dtmf", "d", "DTMF", "Send DTMF digits to the participant", show=False),
    _p(
        "private_message",
        "M",
        "Message",
        "Send the participant a private message (only they see it)",
    ),
    _c("lock", "L", "Lock", "Lock or unlock the conference", show=True),
    _c("mute_guests", "G", "Mute guests", "Mute or unmute all guests"),
    _c("lower_all_hands", "H", "Lower hands", "Lower all raised hands"),
    _c("dial_out", "n", "Dial out", "Dial out to a new participant"),
    _c("layout", "y", "Layout", "Change the conference layout"),
    _c("start", "S", "Start", "Start the conference (let guests in)"),
    _c("disconnect_all", "X", "Kick all", "Disconnect everyone (asks first)"),
    # while a consult (attended transfer) is shown: enabled only then (pextui.tui.host.consult)
    _c(
        "consult_complete",
        "Y",
        "Complete",
        "Attended transfer: move the participant now",
        show=True,
    ),
    _c(
        "consult_abort",
        "N",
        "Abort",
        "Attended transfer: abort (nothing moves), or close",
        show=True,
    ),
    _c("consult_swap", "O", "Swap", "Attended transfer: the other conference in front", show=True),
    _c(
        "consult_resend",
        "D",
        "Resend",
        "Attended transfer: send the message to the target's hosts again (after it failed)",
        show=True,
    ),
    _n("chat", "c", "Chat", "Focus the chat input", show=True),
    HostAction(
        "invite", "i", "Invite", "Show guest and host invite links", "Conference", show=False
    ),
    _n("filter", "slash", "Filter", "Filter the roster by name", show=True),
    _n(
        "sort",
        "f",
        "Sort",
        "Cycle the roster's sort order (name, joined, hand, spoken, role)",
        show=True,
    ),
    _n("sort_reverse", "F", "Reverse", "Reverse the roster's sort order"),
    _n("event_log", "e", "Events", "Show or hide the event log"),
    _n("transfers", "R", "Transfers", "The transfers: who, from, to, role, when, state, reason"),
    _n("save_log", "E", "Save log", "Save the event log to a file"),
    _n("help", "question_mark", "Help", "Show every key and what it does", show=True),
    _n("clear", "escape", "Clear", "Close the event log; clear the filter, selection"),
    # the rest of the host panel (pextui.tui.host.panel)
    _p(
        "camera",
        "z",
        "Camera",
        "Pan, tilt and zoom the participant's camera (FECC)",
        show=False,
        capability="fecc",
    ),
    _p("raise_hand", "u", "Raise hand", "Raise the participant's hand for them", show=False),
    _p(
        "pres_in_mix",
        "P",
        "Pres in mix",
        "Put the presentation in the participant's mix or not",
        show=False,
    ),
    _c("breakouts", "b", "Breakouts", "Breakout rooms: open, fill, move, message, close"),
    _c("guests_can_unmute", "U", "Guests unmute", "Let guests unmute themselves or not"),
    _c("silent_video", "V", "Silent video", "Turn silent video detection on or off"),
    _n("captions", "C", "Captions", "Show or hide live captions"),
    _n("save_transcript", "K", "Save captions", "Save the captions transcript to a file"),
    _n("slides", "w", "Slides", "Show or hide the presentation as a picture"),
    _n("slides_large", "W", "Large slides", "Show the presentation large (or small again)"),
    *TAB_ACTIONS,
)
BY_ACTION = {action.action: action for action in ACTIONS}
BINDINGS: list[BindingType] = [action.binding() for action in ACTIONS]
HOST_ONLY = frozenset(a.action for a in ACTIONS if a.host_only)
ON_CURSOR = frozenset(a.action for a in ACTIONS if a.on_cursor)
CHECKED_ACTIONS = tuple(sorted(HOST_ONLY))

# Actions of widgets and of other screens, grouped for the help.
OTHER_GROUPS: dict[str, Group] = {
    "select": "Participant",
    "toggle_select": "Participant",
    "dial": "Conference",
    "guests_can_unmute": "Conference",
}

# Footer keys in the order they earn a place when the terminal is narrow; the help screen (?)
# and the command palette list every key whatever the width.
FOOTER_PRIORITY = (
    "consult_complete",
    "consult_abort",
    "consult_swap",
    "consult_resend",
    "help",
    "app.next_conference",  # only with several conferences open
    "mute",
    "video",
    "transfer",
    "disconnect",
    "admit",
    "lock",
    "chat",
    "filter",
    "spotlight",
    "sort",
    "toggle_select",
    "quit",
    "private_message",
)

# What a participant's row says while a call of this kind (the store's action kind) waits.
PENDING_LABELS = {
    "mute": "muting",
    "unmute": "unmuting",
    "video_muted": "stopping video",
    "video_unmuted": "starting video",
    "spotlighton": "spotlighting",
    "spotlightoff": "unspotlighting",
    "clearbuzz": "lowering hand",
    "role": "changing role",
    "unlock": "admitting",
    "allowrxpresentation": "allowing presentation",
    "denyrxpresentation": "denying presentation",
    "overlaytext": "setting overlay",
    "disconnect": "disconnecting",
    "transfer": "transferring",
    "dtmf": "sending DTMF",
    "message": "sending message",
}


def group_of(action: str) -> Group | None:
    """The help group of an action, when the table (or a widget's list) knows it."""
    row = BY_ACTION.get(action)
    return row.group if row is not None else OTHER_GROUPS.get(action)


def key_of(action: str) -> str:
    """The key an action is bound to by default, as shown (``/`` for ``slash``)."""
    key = BY_ACTION[action].key
    shown = {"slash": "/", "question_mark": "?", "escape": "Esc"}
    shown |= {"left_square_bracket": "[", "right_square_bracket": "]"}
    return shown.get(key, key)
