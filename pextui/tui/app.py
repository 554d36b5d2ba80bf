"""The pextui application and its factory, used by the CLI, the tests and the screenshots.

The app owns the session (the protocol client's live connection) and the conference store.
The event stream runs in one named, exclusive worker started when a join is requested;
every event is applied to the store (O(1)), and the conference screen redraws what changed
on a ~50 ms timer. Worker failures are handled in one place (`on_worker_state_changed`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from pextui.conference import ConferenceStore
from pextui.config import ConfigError, load_config, update_config
from pextui.logs import current_log_file
from pextui.protocol.client import NO_PIN, JoinParams, connect
from pextui.protocol.errors import (
    ExtensionRequiredError,
    InvalidPinError,
    PexipError,
    PinRequiredError,
)
from pextui.protocol.session import Session
from pextui.sanitize import safe_text
from pextui.tui.commands import ConferenceCommands
from pextui.tui.literal import literal_lines
from pextui.tui.screens.connect import ConnectScreen
from pextui.tui.screens.connect_form import ConnectRequest
from pextui.tui.screens.extension_prompt import ExtensionPromptScreen
from pextui.tui.screens.pin_prompt import PinPromptScreen
from pextui.tui.stream import StreamConsumer
from pextui.tui.widgets.status_bar import Connection

log = logging.getLogger(__name__)
EXIT_NOT_JOINED = 1
CRASH_NOTE = "pextui stopped on an unexpected error; the traceback is in its log file."

STYLES = Path(__file__).resolve().parent.parent / "styles" / "pextui.tcss"
DEFAULT_THEME = "textual-dark"
SESSION_GROUP = "session"
LEAVE_TIMEOUT_S = 3.0

Connector = Callable[[JoinParams], Awaitable[Session]]
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Activity:
    """One line for the event log: something that happened, or a host action's result."""

    at: float
    level: str  # info | ok | warn | error
    text: str


class PextuiApp(App[int]):
    """The host console."""

    CSS_PATH = STYLES
    TITLE = "pextui"
    SUB_TITLE = "Pexip host console"
    COMMANDS = App.COMMANDS | {ConferenceCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            tooltip="Leave the conference (releases the token) and quit",
            priority=True,
        ),
    ]

    def __init__(
        self,
        *,
        join: JoinParams | None = None,
        connector: Connector = connect,
        clock: Clock = time.time,
        theme: str | None = None,
        keymap: Mapping[str, str] | None = None,
        recent_aliases: tuple[str, ...] = (),
        remember_theme: bool = False,
        saved_theme: str | None = None,
    ) -> None:
        super().__init__()
        self.joined = False  # a conference was joined at least once
        self._theme_settled = False  # the initial theme (--theme or the saved one) is applied
        self.join_params = join
        self.connector = connector
        self.clock = clock
        self.initial_theme = theme or DEFAULT_THEME
        self.user_keymap = dict(keymap or {})
        self.recent_aliases = recent_aliases
        self.remember_theme = remember_theme  # save the theme in use to the config file
        self.saved_theme = saved_theme  # the config file's theme (None: not set)
        self.session: Session | None = None
        self.store: ConferenceStore | None = None
        self.connection = Connection()
        self.activity: deque[Activity] = deque(maxlen=500)
        self._leaving = False

    # -- lifecycle --------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.remember_theme:
            self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.initial_theme in self.available_themes:
            self.theme = self.initial_theme
        else:
            names = ", ".join(sorted(self.available_themes))
            self.notify(
                f"Unknown theme {safe_text(self.initial_theme, 40)!r}: using {self.theme}. "
                f"Themes: {names}.",
                title="Theme",
                severity="warning",
                timeout=15,
            )
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        if self.join_params is not None:
            self.start_session(self.join_params)
        else:
            self.show_connect()

    def _theme_changed(self, theme: Theme) -> None:
        """Save a theme picked in the palette for the next start (not one given with --theme:
        the first change, to the initial theme, is that one)."""
        first, self._theme_settled = not self._theme_settled, True
        if first and theme.name == self.initial_theme:
            return
        if theme.name == (self.saved_theme or DEFAULT_THEME):
            return
        self.saved_theme = theme.name
        try:
            update_config(theme=theme.name)
        except (ConfigError, OSError) as exc:
            log.warning("theme not saved: %s", exc)
            self.notify(f"Theme not saved: {safe_text(str(exc), 200)}", severity="warning")

    def show_connect(self) -> None:
        """The connect screen (no join given, or after leaving a conference)."""
        self.push_screen(ConnectScreen(), callback=self._connect_result)

    def _connect_result(self, result: object) -> None:
        if isinstance(result, JoinParams):
            self.start_session(result)
        elif isinstance(result, Session):
            self.join_params = None
            self.adopt_session(result)
        else:
            self.exit(return_code=self.exit_code_when_leaving())

    def exit_code_when_leaving(self) -> int:
        """0 once a conference was joined; EXIT_NOT_JOINED when quitting without ever joining
        (so a script can tell `pextui --node ... --alias ...` gave up)."""
        return 0 if self.joined else EXIT_NOT_JOINED

    def start_session(self, params: JoinParams) -> None:
        self.join_params = params
        self.connection = Connection("connecting")
        self.run_session(params)

    def adopt_session(self, session: Session) -> None:
        """Run an already connected session (e.g. opened by the connect screen)."""
        self.connection = Connection("connecting")
        self.run_session(None, session)

    @work(exclusive=True, group=SESSION_GROUP, name="session-stream", exit_on_error=False)
    async def run_session(self, params: JoinParams | None, session: Session | None = None) -> None:
        """Join (unless given a session), show the conference and apply its events."""
        if session is None:
            assert params is not None
            session = await self._join(params)
            if session is None:
                self.show_connect()
                return
        self.session = session
        self.joined = True
        store = ConferenceStore(clock=self.clock)
        store.self_uuid = session.participant_uuid
        self.store = store
        self._leaving = False
        await self._show_conference()
        consumer = StreamConsumer(self)
        try:
            async for item in session.events():
                consumer.consume(item)
                if consumer.finished:
                    break
        finally:
            # Ended by the server, by us, or the worker was cancelled: stop its tasks.
            consumer.gc_policy.restore()  # the consumer tunes the collector for big rosters
            await session.close()

    async def _join(self, params: JoinParams) -> Session | None:
        """Connect, asking for a PIN or a Virtual Reception target when the node wants one."""
        error: str | None = None
        # None until the node said whether guests need a PIN (a wrong PEXTUI_PIN is refused
        # before it says): only then is "join as guest without a PIN" offered.
        need_host = True
        need_guest: bool | None = None
        while True:
            try:
                return await self.connector(params)
            except (PinRequiredError, InvalidPinError) as exc:
                if isinstance(exc, InvalidPinError):
                    error = "Invalid PIN"  # ask again, for the PINs the node asked for
                else:
                    error, need_host, need_guest = None, exc.host_pin, exc.guest_pin
                answer = await self.push_screen_wait(
                    PinPromptScreen(
                        params.alias, host_pin=need_host, guest_pin=need_guest, error=error
                    )
                )
                if answer is None:
                    return None
                params = replace(params, pin=answer.pin)
                self.join_params = params
            except ExtensionRequiredError as exc:
                target = await self.push_screen_wait(
                    ExtensionPromptScreen(params.alias, kind=exc.kind)
                )
                if target is None:
                    return None
                params = replace(params, conference_extension=target.extension)
                self.join_params = params

    async def _show_conference(self) -> None:
        from pextui.tui.screens.conference import ConferenceScreen

        current = self.screen
        if isinstance(current, ConferenceScreen):
            current.rebind()
            return
        await self.push_screen(ConferenceScreen())

    def follow_transfer(self, participant_uuid: str) -> None:
        """We were moved to another conference (refer): start from a fresh store there."""
        store = ConferenceStore(clock=self.clock)
        store.self_uuid = participant_uuid
        self.store = store
        from pextui.tui.screens.conference import ConferenceScreen

        for screen in self.screen_stack:
            if isinstance(screen, ConferenceScreen):
                screen.rebind()

    def session_ended(self, reason: str) -> None:
        """The server (or token loss) ended the session: say why and offer to rejoin."""
        self.session = None
        if self._leaving:
            return
        self.notify(reason, title="Disconnected", severity="error", timeout=15)
        from pextui.tui.screens.confirm import ConfirmScreen

        def rejoin(answer: bool | None) -> None:
            if answer and self.join_params is not None:
                self.start_session(self.join_params)
            elif answer:
                self.show_connect()

        self.push_screen(
            ConfirmScreen(
                f"Disconnected: {reason}",
                detail="Join the conference again?",
                confirm_label="Rejoin",
                title="Disconnected",
            ),
            callback=rejoin,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where worker failures become messages for the host."""
        worker = event.worker
        if event.state is not WorkerState.ERROR:
            return
        error = worker.error
        reason = describe_error(error)
        if worker.group == SESSION_GROUP:
            self.connection = Connection("ended", detail=reason)
            self.note(f"Connection failed: {reason}", "error")
            self.notify(reason, title="Connection failed", severity="error", timeout=10)
            if self.store is None:
                self.show_connect_after_failure(reason)
        else:
            self.note(f"{worker.name} failed: {reason}", "error")
            self.notify(reason, title="Action failed", severity="error")

    def show_connect_after_failure(self, reason: str) -> None:
        """The connect screen with the reason, filled with what was given (never the PIN)."""
        given = self.join_params
        initial = None
        if given is not None:
            initial = ConnectRequest(
                node_url=given.node_url,
                alias=given.alias,
                display_name=given.display_name,
                role="guest" if given.pin == NO_PIN else "host",
                conference_extension=given.conference_extension,
                verify=given.verify,
            )
        self.push_screen(
            ConnectScreen(error=reason, initial=initial), callback=self._connect_result
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification, always as literal text (the `markup` flag is ignored).

        Messages carry display names, aliases and the server's reasons: read as markup,
        `[/]` would crash the console and `[@click=app.quit]` would run an action. Widgets'
        own `notify` passes `markup=True` by default, hence the override here.
        """
        super().notify(
            literal_lines(message),
            title=safe_text(title, 120),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def note(self, text: str, level: str = "info") -> None:
        """Record a line for the event log (shown by the conference screen)."""
        self.activity.append(Activity(self.clock(), level, safe_text(text, 300)))

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled exception: into the log with its traceback (redacted by the log's
        filter), then Textual's own handling (return code 1, the app exits)."""
        log.error("The console stopped on an unhandled exception", exc_info=error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """What the terminal shows after a crash: a short note, the traceback is in the log
        (Textual's default prints every frame's locals, which may hold a PIN or a token)."""
        self.bell()
        where = current_log_file()
        self.panic(Text(CRASH_NOTE if where is None else f"{CRASH_NOTE[:-1]}: {where}"))

    async def action_quit(self) -> None:
        await self.leave()
        self.exit(return_code=self.exit_code_when_leaving())

    async def leave(self, reason: str = "User initiated disconnect") -> None:
        """Release the token and let the stream worker finish (idempotent).

        Closing the session ends its event stream, so the worker stops by itself; it is
        cancelled only if it does not.
        """
        self._leaving = True
        session, self.session = self.session, None
        if session is not None:
            try:
                await session.close(reason=reason)
            except Exception as exc:  # leaving must never fail loudly
                log.warning("closing the session failed: %s", describe_error(exc))
        for worker in list(self.workers):
            if worker.group == SESSION_GROUP and not worker.is_finished:
                try:
                    await asyncio.wait_for(worker.wait(), LEAVE_TIMEOUT_S)
                except (TimeoutError, WorkerFailed, WorkerCancelled):
                    worker.cancel()


def describe_error(error: BaseException | None) -> str:
    """A one-line message for the host: the server's reason, never a URL, token or PIN."""
    if error is None:
        return "unknown error"
    if isinstance(error, PexipError):
        return safe_text(str(error), 200) or type(error).__name__
    return safe_text(f"{type(error).__name__}: {error}", 200)


def make_app(
    *,
    join: JoinParams | None = None,
    connector: Connector | None = None,
    clock: Clock | None = None,
    theme: str | None = None,
    keymap: Mapping[str, str] | None = None,
    load_settings: bool = True,
) -> PextuiApp:
    """Build the app. `load_settings` reads the user's config file (theme, key remaps)."""
    recent: tuple[str, ...] = ()
    saved_theme: str | None = None
    if load_settings:
        saved_theme, keymap, recent = _settings(keymap)
    return PextuiApp(
        join=join,
        connector=connector or connect,
        clock=clock or time.time,
        theme=theme or saved_theme,
        keymap=keymap,
        recent_aliases=recent,
        remember_theme=load_settings,
        saved_theme=saved_theme,
    )


def _settings(
    keymap: Mapping[str, str] | None,
) -> tuple[str | None, Mapping[str, str] | None, tuple[str, ...]]:
    """The config file's theme, key remaps (unless given) and recent aliases."""
    try:
        cfg: Any = load_config()
    except Exception as exc:  # a broken config file must not stop the console
        log.warning("config not loaded: %s", exc)
        return None, keymap, ()
    theme = getattr(cfg, "theme", None) or None
    keymap = keymap if keymap is not None else dict(getattr(cfg, "keys", {}) or {})
    recent = tuple(str(getattr(item, "alias", item)) for item in (getattr(cfg, "recent", ()) or ()))
    return theme, keymap, recent
