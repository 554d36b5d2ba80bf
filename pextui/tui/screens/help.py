"""The help screen: every key of the screen underneath, with what it does and why.

``HelpScreen(target=None)`` reads ``target.active_bindings`` (public Textual API: the
bindings of the focused widget, the screen and the app, after ``check_action``); without a
``target`` it uses the screen below itself on the stack. Bindings are grouped:

* **Participant**: a binding whose id starts with ``participant.`` or whose action the
  action table (:mod:`pextui.tui.host.actions`) puts in that group;
* **Conference**: id ``conference.*`` or a conference action of the table;
* **Navigation**: everything else (chat, filter, sort, help, quit, the palette, ...).

Bindings that are unavailable right now (``check_action`` returned ``None``) are shown
dimmed with "not now". The list scrolls; Escape or ``?`` closes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from pextui.sanitize import safe_text
from pextui.tui.host.actions import ALT_DIGIT_KEYS
from pextui.tui.host.actions import group_of as action_group
from pextui.tui.stylesheets import DIALOG_CSS

GROUPS: tuple[str, ...] = ("Participant", "Conference", "Navigation")


@dataclass(frozen=True)
class HelpEntry:
    """One line of the help: the key as shown, what it does, the tooltip, availability."""

    group: str
    key: str
    description: str
    tooltip: str
    enabled: bool
    app_wide: bool = False
    """Defined by the app rather than the screen (listed after the screen's keys)."""


def group_of(binding: Binding) -> str:
    """The help group of ``binding`` (see the module docstring)."""
    prefix = (binding.id or "").split(".", 1)[0].lower()
    if prefix in ("participant", "conference", "navigation"):
        return prefix.capitalize()
    action = binding.action.rsplit(".", 1)[-1].split("(", 1)[0]
    return action_group(action) or "Navigation"


def help_entries(
    bindings: Mapping[str, ActiveBinding], key_display: Iterable[tuple[str, str]] = ()
) -> list[HelpEntry]:
    """Help entries for ``bindings`` (one per action; keys of the same action joined)."""
    shown_keys = dict(key_display)
    by_action: dict[tuple[str, str], HelpEntry] = {}
    for key, active in bindings.items():
        binding = active.binding
        if not binding.description or key in ALT_DIGIT_KEYS:  # alt+N as some terminals send it
            continue
        shown = shown_keys.get(key, key)
        slot = (binding.action.split("(", 1)[0], binding.description)  # alt+1..9: one entry
        previous = by_action.get(slot)
        if previous is not None:
            if shown not in previous.key.split(" / "):
                by_action[slot] = HelpEntry(
                    previous.group,
                    _joined_keys(previous.key, shown),
                    previous.description,
                    previous.tooltip,
                    previous.enabled or active.enabled,
                    previous.app_wide,
                )
            continue
        by_action[slot] = HelpEntry(
            group=group_of(binding),
            key=shown,
            description=binding.description,
            tooltip=active.tooltip or binding.tooltip,
            enabled=active.enabled,
            app_wide=isinstance(active.node, App),
        )
    order = {name: index for index, name in enumerate(GROUPS)}
    # Stable: within a group the screen's keys with a tooltip come first (the console's own
    # keys), then Textual's built-in ones, then the app's; each part in declared order.
    return sorted(
        by_action.values(),
        key=lambda e: (order.get(e.group, len(GROUPS)), e.app_wide, not e.tooltip),
    )


NARROW_HELP = 100  # terminal columns below which the help uses two columns


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath, grouped, with descriptions and tooltips."""

    CSS_PATH = DIALOG_CSS
    DEFAULT_CLASSES = "dialog"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "close", "Close help", tooltip="Back to the console"),
    ]
    AUTO_FOCUS = "#help"

    def __init__(self, target: Screen[Any] | None = None) -> None:
        super().__init__()
        self.target = target
        self.entries: list[HelpEntry] = []
        self._drawn_narrow = False

    def _target_screen(self) -> Screen[Any] | None:
        if self.target is not None:
            return self.target
        stack = self.app.screen_stack
        below = [screen for screen in stack if screen is not self]
        return below[-1] if below else None

    def _collect(self) -> list[HelpEntry]:
        target = self._target_screen()
        if target is None:
            return []
        bindings = target.active_bindings
        shown = [
            (key, self.app.get_key_display(active.binding)) for key, active in bindings.items()
        ]
        return help_entries(bindings, shown)

    def compose(self) -> ComposeResult:
        self.entries = self._collect()
        self._drawn_narrow = self.narrow
        box = VerticalScroll(id="help", classes="dialog-box")
        box.border_title = Content("Keys")
        box.border_subtitle = Content("Escape or ? closes · ↑↓ PgUp PgDn scroll")
        with box:
            if not self.entries:
                yield Static("No keys are bound here.", markup=False)
            for group in GROUPS:
                entries = [entry for entry in self.entries if entry.group == group]
                if entries:
                    yield Static(group, classes="help-group", markup=False)
                    yield Static(self._table(entries), classes="help-table")

    def _table(self, entries: list[HelpEntry]) -> Table:
        # The same column widths in every group, so that the groups line up. On a narrow
        # terminal the action and its tooltip share one column (no fixed-width gap), so an
        # entry stays on one line wherever it fits.
        key_width = max(len(_key_text(entry)) for entry in self.entries)
        action_width = max(len(_description_text(entry)) for entry in self.entries)
        narrow = self.narrow
        table = Table.grid(padding=(0, 1 if narrow else 2), expand=True)
        table.add_column("key", no_wrap=True, width=key_width)
        if not narrow:
            table.add_column("action", no_wrap=True, width=action_width)
        table.add_column("tooltip", ratio=1)
        for entry in entries:
            style = "" if entry.enabled else "dim"
            key = Text(_key_text(entry), style=f"bold {style}".strip())
            action = Text(_description_text(entry), style=style)
            tooltip = Text(safe_text(entry.tooltip, 200), style=f"italic {style}".strip())
            if narrow:
                table.add_row(key, Text.assemble(action, (": ", style), tooltip))
            else:
                table.add_row(key, action, tooltip)
        return table

    @property
    def narrow(self) -> bool:
        """Too narrow for a fixed action column beside the tooltips."""
        return self.app.size.width < NARROW_HELP

    def on_resize(self) -> None:
        if self.narrow != self._drawn_narrow:
            self.refresh(recompose=True)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)


def _joined_keys(keys: str, key: str) -> str:
    """``a / b``; a run of numbered keys (alt+1, alt+2, ...) as ``alt+1…9``."""
    first = keys.split(" / ")[0].split("…")[0]
    stem = first.rstrip("0123456789")
    if stem and stem != first and key.startswith(stem) and key[len(stem) :].isdigit():
        return f"{first}…{key[len(stem) :]}"
    return f"{keys} / {key}"


def _key_text(entry: HelpEntry) -> str:
    return safe_text(entry.key, 20)


def _description_text(entry: HelpEntry) -> str:
    text = safe_text(entry.description, 40)
    return text if entry.enabled else f"{text} (not now)"
