"""The pextui application and its factory, used by the CLI, the tests and the screenshots.

The app wires things together: it owns the list of consoles (one per joined conference, see
:mod:`pextui.tui.console`), pushes the screens and runs the workers. A conference's event
stream runs in one named, exclusive worker started when a join is requested; host calls run
in workers of the host-actions group. Every worker's outcome is settled in one place,
:meth:`PextuiApp.on_worker_state_changed`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from pextui.conference import ConferenceStore
from pextui.config import BULK_CONFIRM_ABOVE, ConfigError, update_config
from pextui.logs import current_log_file
from pextui.phone.yeastar.session import YeastarSession
from pextui.protocol.client import JoinParams, connect
from pextui.protocol.session import Session
from pextui.sanitize import safe_text
from pextui.tui.attended import AttendedTransfers
from pextui.tui.commands import ConferenceCommands, unknown_theme
from pextui.tui.console import HOST_GROUP, Activity, Clock, Console, describe_error
from pextui.tui.consoles import HOME_MODE, SESSION_GROUP, WATCH_EVERY_S, Conferences
from pextui.tui.joining.flow import Connector
from pextui.tui.joining.form import request_from_params
from pextui.tui.literal import literal_lines
from pextui.tui.phone_desk import PhoneDesk
from pextui.tui.screens.conference import ConferenceScreen
from pextui.tui.screens.confirm import ConfirmScreen
from pextui.tui.screens.connect import ConnectScreen
from pextui.tui.settings import Settings, binding_ids
from pextui.tui.settings import load_settings as read_settings
from pextui.tui.stylesheets import APP_CSS
from pextui.tui.widgets.roster import Roster
from pextui.tui.widgets.status_bar import Connection

__all__ = ["Activity", "PextuiApp", "describe_error", "make_app"]

log = logging.getLogger(__name__)
EXIT_NOT_JOINED = 1
CRASH_NOTE = "pextui stopped on an unexpected error; the traceback is in its log file."

if TYPE_CHECKING:
    from pextui.phone.acs.session import AcsSession

DEFAULT_THEME = "textual-dark"


class PextuiApp(App[int]):
    """The host console."""

    CSS_PATH = APP_CSS
    TITLE = "pextui"
    SUB_TITLE = "Pexip host console"
    COMMANDS = App.COMMANDS | {ConferenceCommands}
    ENABLE_COMMAND_PALETTE = True
    # Every conference's tab is a mode of its own (pextui.tui.consoles); "home" holds the
    # connect screen when no conference is open.
    DEFAULT_MODE = HOME_MODE
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {HOME_MODE: Screen}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            tooltip="Leave the conference (releases the token) and quit",
            priority=True,
        ),
        Binding("f3", "toggle_phone", "Phone", id="phone", tooltip="Show or hide the PBX's calls"),
    ]

    def __init__(
        self,
        *,
        join: JoinParams | None = None,
        joins: Sequence[JoinParams] = (),
        connector: Connector = connect,
        clock: Clock = time.time,
        theme: str | None = None,
        keymap: Mapping[str, str] | None = None,
        recent_aliases: tuple[str, ...] = (),
        remember_theme: bool = False,
        saved_theme: str | None = None,
        config_problems: tuple[str, ...] = (),
        phone: YeastarSession | None = None,
        acs: AcsSession | None = None,
        bulk_confirm_above: int = BULK_CONFIRM_ABOVE,
    ) -> None:
        super().__init__()
        self.joined = False  # a conference was joined at least once
        self._theme_settled = False  # the initial theme (--theme or the saved one) is applied
        has_phone = phone is not None or acs is not None
        self.phone = PhoneDesk(self, phone, acs) if has_phone else None
        self.join_params = join
        self.connector = connector
        self.clock = clock
        self.initial_theme = theme or DEFAULT_THEME
        self.user_keymap = dict(keymap or {})
        self.recent_aliases = recent_aliases
        self.remember_theme = remember_theme  # save the theme in use to the config file
        self.saved_theme = saved_theme  # the config file's theme (None: not set)
        self.joins: tuple[JoinParams, ...] = (*([join] if join is not None else []), *joins)
        self.conferences = Conferences(self)
        self.attended = AttendedTransfers(clock, lambda: self.conferences)  # consults (T)
        self.config_problems = config_problems  # shown as warnings at start
        self.bulk_confirm_above = bulk_confirm_above  # bulk actions above this many ask first

    # -- the consoles (one per conference: see pextui.tui.consoles) -------------------------

    @property
    def consoles(self) -> list[Console]:
        """Every open conference's console, in tab order."""
        return self.conferences.consoles

    @property
    def current(self) -> Console | None:
        """The console in front."""
        return self.conferences.front

    def open_conference(
        self, params: JoinParams | None, session: Session | None = None, *, front: bool = True
    ) -> Console:
        """Open a tab for ``params`` (or a connected ``session``) and join in the background."""
        console = self.conferences.open(params, session, front=front)
        self.refresh_bindings()  # the keys to switch appear with a second conference
        return console

    def switch_to(self, console: Console) -> None:
        self.conferences.switch_to(console)

    async def close_conference(self, console: Console) -> None:
        """Leave one conference and close its tab (the connect screen after the last)."""
        await self.conferences.close(console)
        self.refresh_bindings()

    def run_host_call(self, call: Coroutine[Any, Any, object], name: str) -> Worker[object]:
        return self.run_worker(call, name=name, group=HOST_GROUP, exit_on_error=False)

    @property
    def session(self) -> Session | None:
        current = self.current
        return current.session if current is not None else None

    @property
    def store(self) -> ConferenceStore | None:
        current = self.current
        return current.store if current is not None else None

    @property
    def connection(self) -> Connection:
        current = self.current
        return current.connection if current is not None else Connection()

    @property
    def activity(self) -> Any:
        current = self.current
        return current.activity if current is not None else ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        count = len(self.conferences.tabs)
        if action in ("prev_conference", "next_conference"):
            return count > 1
        if action == "switch_conference":
            return count > 1 and bool(parameters) and int(str(parameters[0])) <= count
        return True

    def action_prev_conference(self) -> None:
        self.conferences.step(-1)

    def action_next_conference(self) -> None:
        self.conferences.step(1)

    def action_switch_conference(self, number: int) -> None:
        self.conferences.switch_number(number)

    def action_join_another(self) -> None:
        self.join_another()

    def action_leave_conference(self) -> None:
        """Leave the conference in front (asks first); its tab closes."""
        console = self.current
        if console is None:
            return

        def answered(answer: bool | None) -> None:
            if answer:
                self.run_worker(self.close_conference(console), group="tabs")

        question = f"Leave {console.title}?"
        detail = "Its tab closes; the other conferences stay." if len(self.consoles) > 1 else ""
        self.push_screen(
            ConfirmScreen(question, detail=detail, confirm_label="Leave", title="Leave"),
            callback=answered,
        )

    def join_another(self) -> None:
        """The connect screen for one more conference (a new tab; Escape: back)."""
        front = self.current
        given = front.join_params if front is not None else None
        start = None
        if given is not None:  # the same node, name and TLS policy: a new alias (no PIN)
            start = replace(request_from_params(given), alias="", conference_extension=None)
        another = bool(self.conferences.tabs)
        screen = ConnectScreen(connector=self.connector, initial=start, another=another)
        self.push_screen(screen, callback=self._another_result)

    def _another_result(self, result: object) -> None:
        if isinstance(result, JoinParams | Session):
            params = result if isinstance(result, JoinParams) else None
            self.open_conference(params, result if isinstance(result, Session) else None)
        elif not self.conferences.tabs:
            self.exit(return_code=self.exit_code_when_leaving())

    # -- lifecycle --------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.remember_theme:
            self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.initial_theme in self.available_themes:
            self.theme = self.initial_theme
        else:
            self.notify(unknown_theme(self.initial_theme, self), title="Theme", severity="warning")
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        for problem in self.config_problems:
            self.notify(safe_text(problem, 300), title="Config", severity="warning", timeout=15)
        if self.phone is not None:
            self.phone.start()
        self.set_interval(WATCH_EVERY_S, self.conferences.watch, name="conference-watch")
        self.set_interval(WATCH_EVERY_S / 2, self.attended.watch, name="consult-watch")
        if self.joins:
            for number, params in enumerate(self.joins):
                self.open_conference(params, front=number == 0)
        else:
            self.show_connect()

    def _theme_changed(self, theme: Theme) -> None:
        """Save a theme picked in the palette for the next start (not one given with --theme:
        the first change, to the initial theme, is that one)."""
        first, self._theme_settled = not self._theme_settled, True
        if (first and theme.name == self.initial_theme) or theme.name == (
            self.saved_theme or DEFAULT_THEME
        ):
            return
        self.saved_theme = theme.name
        try:
            update_config(theme=theme.name)
        except (ConfigError, OSError) as exc:
            log.warning("theme not saved: %s", exc)
            self.notify(f"Theme not saved: {safe_text(str(exc), 200)}", severity="warning")

    def show_connect(self, error: str | None = None) -> None:
        """The connect screen (no join given, after leaving, or after a failure: then filled
        with what was given, never the PIN)."""
        given = self.join_params if error else None
        start = request_from_params(given) if given is not None else None
        screen = ConnectScreen(connector=self.connector, error=error, initial=start)
        self.push_screen(screen, callback=self._connect_result)

    def _connect_result(self, result: object) -> None:
        again = self.conferences.reusable()  # the first join failed: try again in its tab
        if isinstance(result, JoinParams | Session):
            params = result if isinstance(result, JoinParams) else None
            session = result if isinstance(result, Session) else None
            self.join_params = params
            if again is not None:
                self.conferences.start(again, params, session)
            else:
                self.open_conference(params, session)
        else:
            self.exit(return_code=self.exit_code_when_leaving())

    def exit_code_when_leaving(self) -> int:
        """0 once a conference was joined; EXIT_NOT_JOINED when quitting without ever joining
        (so a script can tell `pextui --node ... --alias ...` gave up)."""
        return 0 if self.joined else EXIT_NOT_JOINED

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where workers' outcomes are settled and failures shown."""
        worker, state = event.worker, event.state
        if worker.group == HOST_GROUP:
            if state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
                for console in self.consoles:
                    if console.owns(worker):
                        console.settle(worker, worker.error, state is WorkerState.CANCELLED)
            return
        if state is not WorkerState.ERROR:
            return
        reason = describe_error(worker.error)
        if not (worker.group == SESSION_GROUP and self.conferences.worker_failed(worker, reason)):
            log.warning("%s failed: %s", worker.name, reason)
            self.notify(reason, title="Action failed", severity="error")

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
        text, heading = literal_lines(message), safe_text(title, 120)
        super().notify(text, title=heading, severity=severity, timeout=timeout, markup=False)

    def note(self, text: str, level: str = "info") -> None:
        """Record a line for the event log of the console in front."""
        if self.current is not None:
            self.current.note(text, level)

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled exception: into the log with its traceback (redacted by the log's
        filter), then Textual's own handling (return code 1, the app exits). A private
        method: Textual 8 offers no public hook (the import-rule test lists the two)."""
        log.error("The console stopped on an unhandled exception", exc_info=error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """What the terminal shows after a crash: a short note, the traceback is in the log
        (Textual's default prints every frame's locals, which may hold a PIN or a token)."""
        self.bell()
        where = current_log_file()
        self.panic(Text(CRASH_NOTE if where is None else f"{CRASH_NOTE[:-1]}: {where}"))

    def action_toggle_phone(self) -> None:
        if self.phone is None:
            self.notify("No PBX configured: add [pbx] to the settings file (docs/phone.md)")
        else:
            self.phone.toggle()

    async def on_exit_app(self) -> None:
        """However the app is asked to exit (a served console's browser too), leave first."""
        await self.leave()

    async def action_quit(self) -> None:
        if self.phone is not None:
            await self.phone.stop()
        await self.leave()
        self.exit(return_code=self.exit_code_when_leaving())

    async def leave(self, reason: str = "User initiated disconnect") -> None:
        """Leave every conference (releases every token) and let the streams end
        (idempotent)."""
        await self.conferences.leave_all(reason)


def make_app(
    *,
    join: JoinParams | None = None,
    joins: Sequence[JoinParams] = (),
    connector: Connector | None = None,
    clock: Clock | None = None,
    theme: str | None = None,
    keymap: Mapping[str, str] | None = None,
    load_settings: bool = True,
    phone: YeastarSession | None = None,
    acs: AcsSession | None = None,
) -> PextuiApp:
    """Build the app. `load_settings` reads the user's config file (theme, key remaps)."""
    settings = Settings(keymap=keymap)
    if load_settings:
        known = binding_ids([*PextuiApp.BINDINGS, *ConferenceScreen.BINDINGS])
        known |= binding_ids([*ConnectScreen.BINDINGS, *Roster.BINDINGS])
        settings = read_settings(keymap, known)
    return PextuiApp(
        join=join,
        joins=joins,
        connector=connector or connect,
        clock=clock or time.time,
        theme=theme or settings.theme,
        keymap=settings.keymap,
        recent_aliases=settings.recent,
        remember_theme=load_settings,
        saved_theme=settings.theme,
        config_problems=settings.problems,
        phone=phone,
        acs=acs,
        bulk_confirm_above=settings.bulk_confirm_above,
    )
