"""Host actions that ask first: each pushes a dialog and, with its typed answer, runs the call.

Dialogs are ModalScreens returning a typed request (or None when cancelled); the answer goes
to :meth:`Console.perform` (or :meth:`Console.transfer`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from pextui.tui import present
from pextui.tui.host.calls import HostCalls
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.dial import DialDialog, DialRequest
from pextui.tui.screens.dtmf import DtmfDialog, DtmfRequest
from pextui.tui.screens.invite import InviteScreen
from pextui.tui.screens.layout import LayoutDialog, LayoutRequest
from pextui.tui.screens.message import PrivateMessageDialog, PrivateMessageRequest
from pextui.tui.screens.overlay import OverlayTextDialog, OverlayTextRequest
from pextui.tui.screens.role import RoleDialog, RoleRequest
from pextui.tui.screens.transfer import (
    TransferDialog,
    TransferRequest,
    TransferRole,
    TransferTarget,
)

if TYPE_CHECKING:
    from textual.screen import Screen

    from pextui.tui.console import Console

Push = Callable[..., Any]


class HostDialogs:
    """The dialog-driven host actions of one conference screen."""

    def __init__(self, calls: HostCalls, push: Push, run: Callable[[Any], object]) -> None:
        self.calls = calls
        self.console = calls.console
        self.push = push  # App.push_screen
        self.run = run  # runs a coroutine in a worker (the screen's run_worker)

    def _ask(self, screen: Screen[Any], done: Callable[[Any], None]) -> None:
        self.push(screen, callback=done)

    # -- participant dialogs ----------------------------------------------------------------

    def role(self) -> None:
        target = self.calls.cursor()
        if target is None:
            return
        uuid, name = target
        current = "chair" if present.is_host(self.calls.target_participant()) else "guest"

        def done(result: RoleRequest | None) -> None:
            session = self.console.session
            if result is None or session is None:
                return
            label = "host" if result.role == "chair" else "guest"
            self.console.perform(
                "role",
                uuid,
                f"Make {name} {label}",
                lambda: session.set_role(uuid, result.role),
                value=result.role,
            )

        self._ask(RoleDialog(name, current), done)

    def transfer(self) -> None:
        target = self.calls.cursor()
        if target is None or self.calls.refuse_transfer(target[0]):
            return
        uuid, name = target
        role: TransferRole = "host" if present.is_host(self.calls.target_participant()) else "guest"

        def done(result: TransferRequest | None) -> None:
            if result is not None:
                self.start_transfer(uuid, name, result)

        targets = transfer_targets(self.console)
        dialog = TransferDialog(name, role=role, targets=targets, here=self.console.alias)
        self._ask(dialog, done)

    def start_transfer(self, uuid: str, name: str, request: TransferRequest) -> int:
        """Transfer with its outcome tracked (requested, left, arrived | failed, timed out,
        rejected); returns its id in the store's ``transfers`` (0 when not started)."""
        console = self.console
        session = console.session
        if session is None:
            return 0
        pin = request.pin
        if pin is None and request.session_pin:
            pin = console.host_pin_for(request.alias)  # read here, never shown anywhere
        description = f"Transfer {name} to {present.safe_text(request.alias, 60)}"
        return console.transfer(
            uuid,
            description,
            request.alias,
            request.role,
            lambda: session.transfer(uuid, request.alias, request.role, pin),
        )

    def disconnect(self) -> None:
        calls = self.calls
        targets = calls.targets()
        if not targets:
            return
        names = ", ".join(calls.name_of(uuid) for uuid in targets[:3])
        more = f" and {len(targets) - 3} more" if len(targets) > 3 else ""

        def done(confirmed: bool | None) -> None:
            session = self.console.session
            if not confirmed or session is None:
                return
            for uuid in targets:
                self.console.perform(
                    "disconnect",
                    uuid,
                    f"Disconnect {calls.name_of(uuid)}",
                    _call(session.disconnect_participant, uuid),
                )

        self._ask(ConfirmScreen(f"Disconnect {names}{more}?", confirm_label="Disconnect"), done)

    def overlay(self) -> None:
        target = self.calls.cursor()
        if target is None:
            return
        uuid, name = target
        current = present.overlay_text(self.calls.target_participant())

        def done(result: OverlayTextRequest | None) -> None:
            session = self.console.session
            if result is None or session is None:
                return
            self.console.perform(
                "overlaytext",
                uuid,
                f"Overlay text for {name}",
                lambda: session.set_overlay_text(uuid, result.text),
                value=result.text,
            )

        self._ask(OverlayTextDialog(name, current), done)

    def dtmf(self) -> None:
        target = self.calls.cursor()
        if target is None:
            return
        uuid, name = target

        def done(result: DtmfRequest | None) -> None:
            session = self.console.session
            if result is None or session is None:
                return
            self.console.perform(
                "dtmf",
                uuid,
                f"DTMF {result.digits} to {name}",
                lambda: session.send_dtmf(uuid, result.digits),
            )

        self._ask(DtmfDialog(name), done)

    def private_message(self) -> None:
        """A message only the cursor's participant sees; the chat shows it as private."""
        target = self.calls.cursor()
        if target is None:
            return
        uuid, name = target
        participant = self.calls.target_participant()
        can_show = bool(getattr(participant, "supports_direct_chat", True))

        def done(result: PrivateMessageRequest | None) -> None:
            session, store = self.console.session, self.console.store
            if result is None or session is None or store is None:
                return

            def sent() -> None:
                store.record_sent_message(result.text, direct=True, recipient=name)

            self.console.perform(
                "message",
                uuid,
                f"Private message to {name}",
                lambda: session.send_private_message(uuid, result.text),
                sent,
            )

        self._ask(PrivateMessageDialog(name, can_show=can_show), done)

    # -- conference dialogs -----------------------------------------------------------------

    def disconnect_all(self) -> None:
        def done(confirmed: bool | None) -> None:
            session = self.console.session
            if confirmed and session is not None:
                self.console.perform(
                    "disconnect_all", None, "Disconnect everyone", session.disconnect_all
                )

        count = len(self.calls.store.roster)
        self._ask(
            ConfirmScreen(
                f"Disconnect all {count} participants?",
                detail="This ends the meeting for everyone, including you.",
                confirm_label="Disconnect all",
            ),
            done,
        )

    def dial_out(self) -> None:
        def done(result: DialRequest | None) -> None:
            session = self.console.session
            if result is None or session is None:
                return
            options: dict[str, Any] = {
                key: value
                for key, value in asdict(result).items()
                if key != "destination" and value not in (None, False)
            }
            store = self.console.store

            async def dial() -> None:
                for uuid in await session.dial(result.destination, **options):
                    if store is not None:  # the outcome is reported (HostPanel)
                        store.dialouts.dialled(uuid, result.destination)

            description = f"Dial {present.safe_text(result.destination, 60)}"
            self.console.perform("dial", None, description, dial)

        self._ask(DialDialog(), done)

    def layout(self, last: LayoutRequest | None, remember: Callable[[LayoutRequest], None]) -> None:
        """The layout dialog over the node's own layouts, opened on the layout in use."""
        session = self.console.session
        if session is None:
            return
        auditorium = str(getattr(session, "service_type", "") or "") == "lecture"
        view = getattr(self.calls.store.layout, "view", "") or ""
        if last is None and view:
            last = LayoutRequest(layout=view, host_layout=view, guest_layout=view)

        def done(result: LayoutRequest | None) -> None:
            session = self.console.session
            if result is None or session is None:
                return
            remember(result)
            flags = {k: v for k, v in asdict(result).items() if k != "layout" and v is not None}
            self.console.perform(
                "transform_layout",
                None,
                f"Layout {result.layout or result.host_layout or ''}".strip(),
                lambda: session.transform_layout(result.layout, **flags),
                value=result.layout or result.host_layout,
            )

        async def open_dialog() -> None:
            layouts = await self.console.available_layouts()
            self._ask(LayoutDialog(layouts, auditorium=auditorium, current=last), done)

        self.run(open_dialog())

    def invite(self) -> None:
        """The links of the conference we are in; joined through a Virtual Reception, they
        go through it too, with the target (``extension=``), as we did."""
        session = self.console.session
        if session is not None:
            title = session.conference_name or self.console.alias
            reception = session.reception
            alias = reception or session.alias
            extension = self.console.alias if reception else None
            self.push(InviteScreen(session.node_url, alias, extension=extension, conference=title))


def transfer_targets(console: Console) -> list[TransferTarget]:
    """The open conferences (marked when we host them), then the recent ones."""
    opened = {alias.casefold() for alias in console.open_aliases()}
    targets = []
    for alias in console.transfer_targets():
        if alias.casefold() in opened:
            hosted = console.host_console(alias) is not None
            targets.append(TransferTarget(alias, "open · host" if hosted else "open", hosted))
        else:
            targets.append(TransferTarget(alias, "recent"))
    return targets


def _call(function: Any, *args: Any) -> Any:
    return lambda: function(*args)
