"""The conference screen: status bar, roster, stage, waiting room, hands, chat, event log.

``ConferenceScreen(console)`` shows one :class:`~pextui.tui.console.Console`. It is built from
small parts: a :class:`~pextui.tui.painter.ConferencePainter` redraws it from the console's
store on a ~50 ms timer, :class:`~pextui.tui.host.calls.HostCalls` and
:class:`~pextui.tui.host.dialogs.HostDialogs` run the host actions, and the action table
(:mod:`pextui.tui.host.actions`) gives the bindings, ``check_action`` and the footer's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from pextui.tui import present
from pextui.tui.event_log_files import new_event_log_path
from pextui.tui.host.actions import BINDINGS, CHECKED_ACTIONS, FOOTER_PRIORITY
from pextui.tui.host.bulk import BulkActions
from pextui.tui.host.calls import HostCalls
from pextui.tui.host.consult import CONSULT_ACTIONS, ConsultKeys, without_idle_consult_keys
from pextui.tui.host.dialogs import HostDialogs
from pextui.tui.host.panel import HostPanel
from pextui.tui.painter import ConferencePainter
from pextui.tui.screens.help import HelpScreen
from pextui.tui.screens.transfers import TransfersScreen
from pextui.tui.stylesheets import CONFERENCE_CSS
from pextui.tui.widgets.captions import CaptionsLine
from pextui.tui.widgets.chat import ChatPanel
from pextui.tui.widgets.conference_tabs import ConferenceTabs
from pextui.tui.widgets.consult_panel import ConsultPanel
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.footer import KeysFooter, fit_footer
from pextui.tui.widgets.panels import QueuePanel, StagePanel
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.slides import SlidesPane
from pextui.tui.widgets.status_bar import StatusBar
from pextui.tui.widgets.titled import TitledColumn

if TYPE_CHECKING:
    from pextui.conference import ConferenceStore
    from pextui.tui.console import Console
    from pextui.tui.screens.layout import LayoutRequest

TICK_S = 0.05
NARROW = 100
SORT_KEYS = ("name", "joined", "hand", "spoken", "role")


class ConferenceScreen(Screen[None]):
    """The host's view of one live conference."""

    CSS_PATH = CONFERENCE_CSS
    BINDINGS: ClassVar[list[BindingType]] = BINDINGS
    AUTO_FOCUS = "#roster"

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self.sort_key = "name"
        self.sort_reverse = False
        self.last_layout: LayoutRequest | None = None
        self.calls = HostCalls(console, lambda: self.query_one(Roster), self.notify)
        self.dialogs = HostDialogs(
            self.calls,
            lambda *a, **k: self.app.push_screen(*a, **k),
            lambda work: self.run_worker(work, group="dialogs", exit_on_error=False),
        )
        self.consult = ConsultKeys(
            console,
            self.calls,
            lambda *a, **k: self.app.push_screen(*a, **k),
            lambda: self.query_one(ConsultPanel),
        )
        self.bulk = BulkActions(self.calls, lambda *a, **k: self.app.push_screen(*a, **k))
        self.painter = ConferencePainter(self, console)
        self.panel = HostPanel(self, console, self.calls)
        self._binding_signature: tuple[object, ...] = ()
        self._footer_width = -1

    @property
    def store(self) -> ConferenceStore:
        return self.painter.store

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        store = self.store
        yield ConferenceTabs(id="tabs")
        yield StatusBar(id="status")
        yield Static(id="panel-info")
        yield CaptionsLine(id="captions")
        yield ConsultPanel(id="consult")
        with Horizontal(id="main"):
            with TitledColumn(id="left"):
                yield Static(id="roster-header")
                yield Roster(store.index, store.roster, self.painter.facts, id="roster")
                yield Input(placeholder="filter by name (esc clears)", id="filter")
            with Vertical(id="side"):
                yield StagePanel(id="stage")
                yield QueuePanel("nobody waiting", id="waiting")
                yield QueuePanel("no hands raised", id="hands")
                yield ChatPanel(id="chat")
        yield SlidesPane(id="slides")
        yield EventLog(id="events")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#stage").border_title = "Stage"
        self.query_one("#waiting").border_title = "Waiting room"
        self.query_one("#hands").border_title = "Raised hands"
        self.query_one("#chat").border_title = "Chat"
        self.query_one("#events").border_title = "Event log"
        self.query_one("#filter", Input).display = False
        self.query_one("#panel-info").display = False
        self.query_one("#slides").border_title = "Slides"
        self.store.index.set_sort(self.sort_key, self.sort_reverse)
        self.set_interval(TICK_S, self.painter.refresh, name="store-refresh")
        self.painter.refresh(full=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        self.painter.redraw_header()
        if self.app.size.width != self._footer_width:
            self._footer_width = self.app.size.width
            self.refresh_bindings()  # which keys fit changed

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The bindings, with the footer's keys cut to what fits the width."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        bindings = without_idle_consult_keys(super().active_bindings, self.consult.acting())
        return fit_footer(bindings, app.size.width, app.get_key_display, FOOTER_PRIORITY, palette)

    def refresh_from_store(self, full: bool = False) -> None:
        self.painter.refresh(full)

    def redraw_header(self) -> None:
        self.painter.redraw_header()

    def sync_bindings(self) -> None:
        """Refresh the footer only when what is allowed actually changed."""
        signature = (
            *(self.check_action(action, ()) for action in CHECKED_ACTIONS),
            len(self.console.tab_badges()) > 1,  # the keys to switch conferences
            *self.consult.acting().values(),  # what the consult keys say (N: abort or close)
        )
        if signature != self._binding_signature:
            self._binding_signature = signature
            self.refresh_bindings()

    def on_key(self, event: events.Key) -> None:
        """A dimmed key (no binding of it enabled) says why it does nothing."""
        if self.calls.explain_disabled(self.active_bindings.get(event.key)):
            event.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CONSULT_ACTIONS:
            return self.consult.allowed(action) if self.console.is_host() else None
        return self.calls.allowed(action)

    # -- for the palette and the tests ------------------------------------------------------

    def is_host(self) -> bool:
        return self.console.is_host()

    def target_participant(self) -> Any:
        return self.calls.target_participant()

    def go_to_participant(self, uuid: str) -> None:
        """Move the cursor to a participant, clearing the filter if it hides them."""
        roster = self.query_one(Roster)
        if not roster.go_to(uuid):
            self.query_one("#filter", Input).value = ""
            self.store.index.set_filter("")
            roster.sync(reordered=True)
            roster.go_to(uuid)
        roster.focus()

    # -- host actions (see pextui.tui.host) -------------------------------------------------

    def action_mute(self) -> None:
        self.bulk.mute()

    def action_video(self) -> None:
        self.bulk.video()

    def action_spotlight(self) -> None:
        self.calls.spotlight()

    def action_lower_hand(self) -> None:
        self.calls.lower_hand()

    def action_presentation(self) -> None:
        self.calls.presentation()

    def action_admit(self) -> None:
        self.calls.admit()

    def action_admit_all(self) -> None:
        self.bulk.admit_all()

    def action_lock(self) -> None:
        self.calls.lock()

    def action_mute_guests(self) -> None:
        self.bulk.mute_guests()

    def action_lower_all_hands(self) -> None:
        self.bulk.lower_all_hands()

    def action_start(self) -> None:
        self.calls.start()

    def action_role(self) -> None:
        self.dialogs.role()

    def action_transfer(self) -> None:
        self.dialogs.transfer()

    def action_attended_transfer(self) -> None:
        self.consult.start()

    def action_consult_complete(self) -> None:
        self.consult.complete()

    def action_consult_abort(self) -> None:
        self.consult.abort()

    def action_consult_swap(self) -> None:
        self.consult.swap()

    def action_consult_resend(self) -> None:
        self.consult.resend()

    def action_transfers(self) -> None:
        self.app.push_screen(TransfersScreen(self.console.all_transfers))

    def action_disconnect(self) -> None:
        self.dialogs.disconnect()

    def action_overlay(self) -> None:
        self.dialogs.overlay()

    def action_dtmf(self) -> None:
        self.dialogs.dtmf()

    def action_private_message(self) -> None:
        self.dialogs.private_message()

    def action_disconnect_all(self) -> None:
        self.dialogs.disconnect_all()

    def action_dial_out(self) -> None:
        self.dialogs.dial_out()

    def action_layout(self) -> None:  # the dialog opens on the last layout asked for
        self.dialogs.layout(self.last_layout, lambda asked: setattr(self, "last_layout", asked))

    def action_invite(self) -> None:
        self.dialogs.invite()

    # -- the rest of the host panel (see pextui.tui.host.panel) ------------------------------

    def action_breakouts(self) -> None:
        self.panel.breakouts()

    def action_captions(self) -> None:
        self.panel.captions()

    def action_save_transcript(self) -> None:
        self.panel.save_transcript()

    def action_slides(self) -> None:
        self.panel.slides()

    def action_slides_large(self) -> None:
        self.panel.toggle_large()

    def action_camera(self) -> None:
        self.panel.camera()

    def action_raise_hand(self) -> None:
        self.panel.raise_hand()

    def action_pres_in_mix(self) -> None:
        self.panel.pres_in_mix()

    def action_guests_can_unmute(self) -> None:
        self.panel.guests_can_unmute()

    def action_silent_video(self) -> None:
        self.panel.silent_video()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    # -- view actions -----------------------------------------------------------------------

    def action_chat(self) -> None:
        self.add_class("-show-side")
        self.query_one("#chat-input", Input).focus()

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    def action_clear(self) -> None:
        field = self.query_one("#filter", Input)
        roster = self.query_one(Roster)
        if self.query_one(EventLog).display:
            self.show_event_log(False)
        elif field.value or field.display:
            field.value = ""
            field.display = False
            self.store.index.set_filter("")
            roster.sync(reordered=True)
        elif roster.selected:
            roster.selected.clear()
            roster.refresh()
        else:
            self.remove_class("-show-side")
        roster.focus()

    def action_sort(self) -> None:
        position = SORT_KEYS.index(self.sort_key) if self.sort_key in SORT_KEYS else -1
        self.sort_key = SORT_KEYS[(position + 1) % len(SORT_KEYS)]
        self._apply_sort()

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._apply_sort()

    def _apply_sort(self) -> None:
        self.store.index.set_sort(self.sort_key, self.sort_reverse)
        self.query_one(Roster).sync(reordered=True)
        self.painter.redraw_header()
        self.notify(f"Sorted by {self.sort_key}", timeout=2)

    def action_event_log(self) -> None:
        self.show_event_log(not self.query_one(EventLog).display)

    def show_event_log(self, shown: bool) -> None:
        """Show or hide the event log; the side panels shrink so the chat keeps its border."""
        self.query_one(EventLog).display = shown
        self.set_class(shown, "-events")

    def action_save_log(self) -> None:
        try:
            path = new_event_log_path()
            saved = self.query_one(EventLog).save(path)
            saved.chmod(0o600)
        except OSError as exc:
            reason = present.safe_text(exc.strerror or str(exc), 200)
            self.notify(reason, title="Saving the event log failed", severity="error")
            return
        self.console.note(f"Event log saved to {saved}", "ok")
        self.notify(f"Saved to {saved}", title="Event log", timeout=8)

    # -- events -----------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.store.index.set_filter(event.value)
        self.query_one(Roster).sync(reordered=True)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(Roster).focus()

    @on(ChatPanel.Send)
    def _chat_send(self, event: ChatPanel.Send) -> None:
        self.calls.send_chat(event.text, self.painter.draw_chat)

    # The footer follows the cursor (keys dim on a participant they cannot act on) at the
    # painter's next tick (sync_bindings, <= 50 ms): redrawn in the key's own frame, the
    # footer's bottom line widened that frame to everything between it and the cursor.
