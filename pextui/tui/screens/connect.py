"""The connect screen: node, alias, name, PIN, role, TLS options and recent conferences.

``ConnectScreen(*, connector=None, recent=None, initial=None, error=None)`` is a
``Screen[JoinParams | Session | None]``. How it ends:

* With a ``connector`` (an ``async (JoinParams) -> Session`` such as
  ``pextui.protocol.client.connect``), the screen joins itself: a busy indicator while
  joining, the PIN prompt (:class:`PinPromptScreen`) when the node asks for a PIN, the
  Virtual Reception prompt (:class:`ExtensionPromptScreen`) for a lobby alias, inline
  errors for a wrong PIN,
  an unknown alias, an unreachable node or a certificate problem, and it dismisses with
  the connected ``Session``. The conference is then added to the recent list (no PIN).
* Without a connector it dismisses with the validated ``JoinParams`` and the app joins;
  the app reports a failure back with :meth:`ConnectScreen.show_error` (or a new screen
  with ``error=...``).
* The Quit button dismisses with ``None`` (Escape does not: it is easy to hit by accident).
  F1 shows the keys, F2 moves to the recent conferences.

A join link (web app or ``pexip://``) pasted into the node or alias field fills the form.
``recent`` defaults to the config file's recent conferences; selecting one fills the form.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    LoadingIndicator,
    OptionList,
    RadioButton,
    Static,
)
from textual.widgets.option_list import Option

from pextui.config import RecentConference
from pextui.links import LinkError
from pextui.protocol.client import JoinParams
from pextui.protocol.requests import check_alias, check_pin
from pextui.protocol.session import Session
from pextui.sanitize import has_control_chars, safe_text
from pextui.tui.forms import FOCUS_BINDINGS, FormError, field_errors
from pextui.tui.joining.fields import connect_fields
from pextui.tui.joining.flow import Connector, join_with_prompts
from pextui.tui.joining.form import (
    ConnectRequest,
    JoinRole,
    RecentEntry,
    clean_node,
    extract_link,
    load_settings,
    parse_pasted_link,
    recent_entries,
    remember,
)
from pextui.tui.literal import literal
from pextui.tui.stylesheets import CONNECT_CSS
from pextui.tui.widgets.choice import ChoiceSet, host_chosen

log = logging.getLogger(__name__)


class ConnectScreen(Screen[JoinParams | Session | None]):
    """Where the host says which conference to join."""

    CSS_PATH = CONNECT_CSS
    DEFAULT_CLASSES = "form"

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_BINDINGS,
        Binding(
            "f1",
            "help",
            "Help",
            id="navigation.connect_help",
            tooltip="Show every key of this screen",
        ),
        Binding(
            "f2",
            "focus_recent",
            "Recent",
            id="navigation.connect_recent",
            tooltip="Pick a recently joined conference",
        ),
        Binding("escape", "quit_connect", "Back", tooltip="Back to the open conferences"),
    ]
    AUTO_FOCUS = "#node"

    def __init__(
        self,
        *,
        connector: Connector | None = None,
        recent: Sequence[RecentConference | RecentEntry] | None = None,
        initial: ConnectRequest | None = None,
        error: str | None = None,
        remember_joined: bool = True,
        another: bool = False,
    ) -> None:
        super().__init__()
        self.another = another  # one more conference: "Back" (or Escape) instead of "Quit"
        self.connector = connector
        if recent is None:
            self.recent, self.default_name = load_settings()
        else:
            self.recent, self.default_name = recent_entries(recent), None
        self.initial = initial
        self.initial_error = error
        self.remember_joined = remember_joined
        self.extension: str | None = initial.conference_extension if initial else None
        self.info_text = ""
        self.field_lengths: dict[str, int] = {}

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        box = VerticalScroll(id="connect")
        box.can_focus = False
        what = "another" if self.another else "a"
        box.border_title = Content(f"pextui · join {what} Pexip conference as host")
        with box:
            yield from connect_fields(self.initial, self.default_name)
            yield Static("", id="connect-info", markup=False)
            yield Static("", id="connect-error", markup=False)
            with Horizontal(id="connect-bottom"):
                with Vertical(id="busy"):
                    yield LoadingIndicator()
                with Horizontal(id="connect-buttons"):
                    yield Button("Back" if self.another else "Quit", id="quit", compact=True)
                    yield Button("Join", id="join", variant="primary", compact=True)
            if self.recent:
                yield Static("Recent conferences (F2, Enter fills the form)", id="recent-title")
                yield OptionList(
                    *(
                        Option(literal(entry.label, 120), id=f"recent-{index}")
                        for index, entry in enumerate(self.recent)
                    ),
                    id="recent",
                    compact=True,
                )
        yield Footer()  # F1 help, F2 recent: the keys a new user looks for first

    def on_mount(self) -> None:
        if self.initial_error:
            self.show_error(self.initial_error)
        if self.initial is not None:
            self.query_one("#pin", Input).value = self.initial.pin or ""

    # -- public API for the app -------------------------------------------------------------

    def show_error(self, text: str) -> None:
        """Show an error under the form (shown literally) and stop the busy indicator."""
        self.set_busy(False)
        error = self.query_one("#connect-error", Static)
        error.update(literal(text, 300) if text else Content(""))
        error.set_class(bool(text), "visible")

    @property
    def error_text(self) -> str:
        """The error currently shown ("" when none)."""
        return str(self.query_one("#connect-error", Static).content)

    def set_busy(self, busy: bool) -> None:
        """Show or hide the joining indicator; the Join button is disabled meanwhile."""
        self.set_class(busy, "-busy")
        self.query_one("#join", Button).disabled = busy

    @property
    def busy(self) -> bool:
        return self.has_class("-busy")

    def read_request(self) -> ConnectRequest:
        """The form as a request; ``ValueError`` (message for the host) when invalid."""
        node = self._value("node")
        if not node:
            raise FormError("Enter the node URL (or paste a join link).", "node")
        try:
            node_url = clean_node(node)
        except ValueError as error:
            raise FormError(f"Node URL: {error}", "node") from None
        with field_errors("alias"):
            alias = check_alias(self._value("alias"), "Conference alias")
        name = self._value("name")
        if not name:
            raise FormError("Enter your display name.", "name")
        if has_control_chars(name):
            raise FormError("The name must not contain control characters.", "name")
        with field_errors("pin"):
            pin = check_pin(self._value("pin"))
        bundle = self._value("ca-bundle")
        if bundle and not Path(bundle).expanduser().is_file():
            raise FormError("The CA bundle is not a readable file.", "ca-bundle")
        role: JoinRole = "host" if host_chosen(self.query_one("#role", ChoiceSet)) else "guest"
        return ConnectRequest(
            node_url=node_url,
            alias=alias,
            display_name=name,
            pin=pin,
            role=role,
            conference_extension=self.extension,
            verify=self._verify(),
        )

    def fill(self, values: dict[str, str]) -> None:
        """Fill form fields (ids: node, alias, name, pin, role, extension) from ``values``."""
        for field_id in ("node", "alias", "name", "pin"):
            if field_id in values:
                self.query_one(f"#{field_id}", Input).value = values[field_id]
        if values.get("role") in ("host", "guest"):
            self.query_one(f"#role-{values['role']}", RadioButton).value = True
        self.extension = values.get("extension") or None

    # -- internals --------------------------------------------------------------------------

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def _verify(self) -> bool | str:
        if self.query_one("#insecure", Checkbox).value:
            return False
        bundle = self._value("ca-bundle")
        return str(Path(bundle).expanduser()) if bundle else True

    def _show_info(self, text: str) -> None:
        self.info_text = text
        info = self.query_one("#connect-info", Static)
        info.update(literal(text, 400))
        info.set_class(bool(text), "visible")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit_connect":
            return self.another  # Escape goes back only when conferences are open
        return True

    def action_quit_connect(self) -> None:
        """Leave without joining."""
        self.dismiss(None)

    def action_help(self) -> None:
        """Show the keys of this screen."""
        from pextui.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_focus_recent(self) -> None:
        """Move the focus to the recent conferences."""
        if self.recent:
            self.query_one("#recent", OptionList).focus()

    def action_join(self) -> None:
        """Validate the form and join (or hand the parameters to the app)."""
        if self.busy:
            return
        if any(self.fill_from_link(self._value(name), name) for name in ("node", "alias")):
            return  # the host checks what the link filled in, then joins
        try:
            request = self.read_request()
            params = request.to_join_params()
        except FormError as error:
            self.show_error(error.message)
            if error.field_id:
                self.query_one(f"#{error.field_id}").focus()
            return
        except ValueError as error:
            self.show_error(str(error))
            return
        self.show_error("")
        connector = self.connector
        if connector is None:
            self.dismiss(params)
            return
        self.set_busy(True)
        self._join(connector, request, params)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def _join(
        self, connector: Connector, request: ConnectRequest, params: JoinParams
    ) -> None:
        result = await join_with_prompts(self.app, connector, params)
        self.extension = result.params.conference_extension
        failure = result.failure
        if result.session is None or failure is not None:
            message = failure.message if failure else "Joining failed."
            self.show_error(message)
            if failure is not None and failure.clear_pin:
                self.query_one("#pin", Input).value = ""
            if failure is not None and failure.field_id:
                self.query_one(f"#{failure.field_id}").focus()
            return
        self.set_busy(False)
        session = result.session
        joined_as: JoinRole = "host" if session.is_host else "guest"
        if request.role == "host" and joined_as == "guest":
            self.notify(
                "That PIN is the guest PIN: you joined as a guest, so host actions are off. "
                "Leave and join again with the host PIN to host.",
                title="Joined as guest",
                severity="warning",
                timeout=12,
            )
        if self.remember_joined:  # Recent records the role the node gave, not the one asked
            joined = replace(request, pin=None, alias=result.params.alias, role=joined_as)
            problem = remember(joined)
            if problem:
                self.app.notify(problem, title="Config", severity="warning", markup=False)
        self.dismiss(session)

    # -- events -----------------------------------------------------------------------------

    @on(Input.Changed, "#node, #alias")
    def _maybe_link(self, event: Input.Changed) -> None:
        # Only a paste (several characters at once) is parsed right away; a link typed by
        # hand is parsed when the host presses Enter (see action_join).
        field_id = event.input.id or ""
        before = self.field_lengths.get(field_id, 0)
        self.field_lengths[field_id] = len(event.value)
        if len(event.value) - before > 1 and self.fill_from_link(event.value, field_id):
            return
        if field_id == "alias":
            self.extension = None  # a Virtual Reception target belongs to the old alias

    def fill_from_link(self, text: str, field_id: str = "node") -> bool:
        """Fill the form from a join link in ``text``; False when ``text`` is no link."""
        link = extract_link(text)
        if link is None:
            return False
        try:
            values = parse_pasted_link(link)
        except LinkError as error:
            self.show_error(f"Not a usable join link: {error}")
            return True
        if "node" not in values and field_id == "node":
            values["node"] = ""
        with self.prevent(Input.Changed):
            self.fill(values)
        for name in ("node", "alias"):
            self.field_lengths[name] = len(self.query_one(f"#{name}", Input).value)
        self.show_error("")
        names = ("node", "alias", "name", "pin", "role", "extension")
        filled = ", ".join(name for name in names if values.get(name))
        self._show_info(f"Filled from the join link: {filled}.")
        return True

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_join()

    @on(Checkbox.Changed, "#insecure")
    def _insecure_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#insecure-warning").set_class(event.value, "visible")

    @on(Button.Pressed, "#join")
    def _join_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_join()

    @on(Button.Pressed, "#quit")
    def _quit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_quit_connect()

    @on(OptionList.OptionSelected, "#recent")
    def _recent_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.recent[event.option_index]
        values = {"node": entry.node_url, "alias": entry.alias, "role": entry.role, "pin": ""}
        if entry.display_name:
            values["name"] = entry.display_name
        self.fill(values)
        self._show_info(
            f"Filled from recent: {safe_text(entry.alias, 60)}. Enter the PIN if needed."
        )
        self.query_one("#pin", Input).focus()

    def action_submit(self) -> None:
        """Enter on the role choice joins (``ChoiceSet`` binds Enter to ``screen.submit``)."""
        self.action_join()
