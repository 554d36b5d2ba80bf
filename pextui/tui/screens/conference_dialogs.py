"""Host actions that ask first (dialogs), and the screen's own view actions.

Dialogs are ModalScreens returning a typed request (or None when cancelled); they are pushed
with a callback that runs the call through `HostActions.perform`.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import platformdirs
from textual.widgets import Input

from pextui.links import build_links
from pextui.tui import present
from pextui.tui.screens.conference_actions import HostActions, action_reason
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.dial import DialDialog, DialRequest
from pextui.tui.screens.dtmf import DtmfDialog, DtmfRequest
from pextui.tui.screens.help import HelpScreen
from pextui.tui.screens.invite import InviteDialog
from pextui.tui.screens.layout import LayoutDialog, LayoutRequest
from pextui.tui.screens.overlay import OverlayTextDialog, OverlayTextRequest
from pextui.tui.screens.role import RoleDialog, RoleRequest
from pextui.tui.screens.transfer import TransferDialog, TransferRequest
from pextui.tui.widgets.event_log import EventLog
from pextui.tui.widgets.roster import Roster

SORT_KEYS = ("name", "joined", "hand", "spoken", "role")


class DialogActions(HostActions):
    """Dialog-driven host actions plus filter, sort, chat and log handling."""

    sort_key = "name"
    sort_reverse = False
    last_layout: LayoutRequest | None = None

    def _cursor(self) -> tuple[str, str] | None:
        uuid = self.query_one(Roster).cursor_uuid
        if uuid is None or uuid not in self.host_store.roster:
            return None
        return uuid, self.name_of(uuid)

    # -- participant dialogs ----------------------------------------------------------------

    def action_role(self) -> None:
        target = self._cursor()
        if target is None:
            return
        uuid, name = target
        current = "chair" if present.is_host(self.target_participant()) else "guest"

        def done(result: RoleRequest | None) -> None:
            session = self.session
            if result is None or session is None:
                return
            label = "host" if result.role == "chair" else "guest"
            self.perform(
                "role",
                uuid,
                f"Make {name} {label}",
                lambda: session.set_role(uuid, result.role),
                value=result.role,
            )

        self.app.push_screen(RoleDialog(name, current), callback=done)

    def action_transfer(self) -> None:
        target = self._cursor()
        if target is None:
            return
        uuid, name = target

        def done(result: TransferRequest | None) -> None:
            session = self.session
            if result is None or session is None:
                return
            self.start_transfer(uuid, name, result)

        aliases = tuple(a for a in self.pextui.recent_aliases if a)
        self.app.push_screen(
            TransferDialog(name, known_aliases=(*aliases, "meet.board", "townhall")),
            callback=done,
        )

    def start_transfer(self, uuid: str, name: str, request: TransferRequest) -> None:
        """Transfer with its outcome tracked: transferring, then transferred or failed."""
        session = self.session
        if session is None:
            return
        store = self.host_store
        transfer_id = store.transfers.request(uuid, request.alias, request.role)
        description = f"Transfer {name} to {present.safe_text(request.alias, 60)}"
        self.pextui.note(f"{description}…")

        async def run() -> None:
            try:
                await session.transfer(uuid, request.alias, request.role, request.pin)
            except Exception as exc:
                # The outcome (one log line, one notification) is shown by the screen when
                # the store settles the transfer.
                store.transfers.fail(transfer_id, action_reason(exc))
                return
            self.pextui.note(f"{description}: transferring", "ok")

        self.run_worker(run(), name="host:transfer", group="host-actions", exit_on_error=False)

    def action_disconnect(self) -> None:
        targets = self.targets()
        if not targets:
            return
        names = ", ".join(self.name_of(uuid) for uuid in targets[:3])
        more = f" and {len(targets) - 3} more" if len(targets) > 3 else ""

        def done(confirmed: bool | None) -> None:
            session = self.session
            if not confirmed or session is None:
                return
            for uuid in targets:
                self.perform(
                    "disconnect",
                    uuid,
                    f"Disconnect {self.name_of(uuid)}",
                    _call(session.disconnect_participant, uuid),
                )

        self.app.push_screen(
            ConfirmScreen(f"Disconnect {names}{more}?", confirm_label="Disconnect"),
            callback=done,
        )

    def action_overlay(self) -> None:
        target = self._cursor()
        if target is None:
            return
        uuid, name = target
        current = str(present.field(self.target_participant(), "overlay_text", "") or "")

        def done(result: OverlayTextRequest | None) -> None:
            session = self.session
            if result is None or session is None:
                return
            self.perform(
                "overlaytext",
                uuid,
                f"Overlay text for {name}",
                lambda: session.set_overlay_text(uuid, result.text),
                value=result.text,
            )

        self.app.push_screen(OverlayTextDialog(name, current), callback=done)

    def action_dtmf(self) -> None:
        target = self._cursor()
        if target is None:
            return
        uuid, name = target

        def done(result: DtmfRequest | None) -> None:
            session = self.session
            if result is None or session is None:
                return
            self.perform(
                "dtmf",
                uuid,
                f"DTMF {result.digits} to {name}",
                lambda: session.send_dtmf(uuid, result.digits),
            )

        self.app.push_screen(DtmfDialog(name), callback=done)

    # -- conference dialogs -----------------------------------------------------------------

    def action_disconnect_all(self) -> None:
        def done(confirmed: bool | None) -> None:
            session = self.session
            if confirmed and session is not None:
                self.perform("disconnect_all", None, "Disconnect everyone", session.disconnect_all)

        count = len(self.host_store.roster)
        self.app.push_screen(
            ConfirmScreen(
                f"Disconnect all {count} participants?",
                detail="This ends the meeting for everyone, including you.",
                confirm_label="Disconnect all",
            ),
            callback=done,
        )

    def action_dial_out(self) -> None:
        def done(result: DialRequest | None) -> None:
            session = self.session
            if result is None or session is None:
                return
            options: dict[str, Any] = {
                key: value
                for key, value in asdict(result).items()
                if key != "destination" and value not in (None, False)
            }
            self.perform(
                "dial",
                None,
                f"Dial {present.safe_text(result.destination, 60)}",
                lambda: session.dial(result.destination, **options),
            )

        self.app.push_screen(DialDialog(), callback=done)

    def action_layout(self) -> None:
        auditorium = str(getattr(self.session, "service_type", "") or "") == "lecture"
        layouts = getattr(self.pextui, "available_layouts", None)

        def done(result: LayoutRequest | None) -> None:
            session = self.session
            if result is None or session is None:
                return
            self.last_layout = result
            flags = {k: v for k, v in asdict(result).items() if k != "layout" and v is not None}
            self.perform(
                "transform_layout",
                None,
                f"Layout {result.layout or result.host_layout or ''}".strip(),
                lambda: session.transform_layout(result.layout, **flags),
                value=result.layout or result.host_layout,
            )

        self.app.push_screen(
            LayoutDialog(layouts, auditorium=auditorium, current=self.last_layout),
            callback=done,
        )

    def action_invite(self) -> None:
        session = self.session
        if session is None:
            return
        try:
            links = build_links(session.node_url, session.alias)
        except ValueError as exc:
            self.notify(str(exc), title="No invite links", severity="error")
            return
        self.app.push_screen(InviteDialog(links, conference=session.conference_name))

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
            self.host_store.index.set_filter("")
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
        self.host_store.index.set_sort(self.sort_key, self.sort_reverse)
        self.query_one(Roster).sync(reordered=True)
        self.redraw_header()
        self.notify(f"Sorted by {self.sort_key}", timeout=2)

    def redraw_header(self) -> None:
        """Overridden by the screen."""

    def draw_chat(self) -> None:
        """Overridden by the screen."""

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
        self.pextui.note(f"Event log saved to {saved}", "ok")
        self.notify(f"Saved to {saved}", title="Event log", timeout=8)

    def send_chat(self, text: str) -> None:
        session = self.session
        if session is None:
            return
        store = self.host_store

        def sent() -> None:
            store.chat.add_local(
                session.participant_uuid, session.display_name, text, self.pextui.clock()
            )
            self.draw_chat()

        self.perform("message", None, "Send chat message", lambda: session.send_message(text), sent)


def event_log_dir() -> Path:
    """Where saved event logs go: the user's state directory, never the working directory."""
    return Path(platformdirs.user_state_dir("pextui")) / "event-logs"


def new_event_log_path() -> Path:
    """A fresh file name in :func:`event_log_dir` (created private: mode 0700)."""
    folder = event_log_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"pextui-events-{stamp}.log"
    serial = 1
    while path.exists():
        serial += 1
        path = folder / f"pextui-events-{stamp}-{serial}.log"
    return path


def _call(function: Any, *args: Any) -> Any:
    return lambda: function(*args)
