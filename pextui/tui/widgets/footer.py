"""Which keys the footer shows: the most useful ones that fit one line.

Textual's ``Footer`` draws ``screen.active_bindings`` (public API) whose binding has
``show`` set. :func:`fit_footer` takes those bindings and hides (``show=False``) the ones that
do not fit the width, in :data:`FOOTER_PRIORITY` order; the help screen (?) and the command
palette still list every key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import Footer


def key_width(key_display: str, description: str) -> int:
    """Cells a (non-compact) footer key takes: padding, key, space, description."""
    return len(key_display) + len(description) + 3


def fit_footer(
    bindings: Mapping[str, ActiveBinding],
    width: int,
    key_display: Callable[[Binding], str],
    priority: Sequence[str],
    palette_key: str | None = None,
) -> dict[str, ActiveBinding]:
    """``bindings`` with ``show`` cleared on the keys that do not fit ``width`` cells.

    One key per action is drawn (the first); ``palette_key`` (the command palette's, drawn
    docked on the right) always stays and its width is kept free.
    """
    room = width - 1
    if palette_key is not None and palette_key in bindings:
        palette = bindings[palette_key].binding
        room -= key_width(key_display(palette), palette.description)
    first: dict[str, str] = {}  # action -> the key the footer draws for it
    for key, active in bindings.items():
        if active.binding.show and key != palette_key:
            first.setdefault(active.binding.action, key)
    rank = {action: n for n, action in enumerate(priority)}
    kept: set[str] = set()
    for action in sorted(first, key=lambda a: rank.get(a, len(rank))):
        binding = bindings[first[action]].binding
        needed = key_width(key_display(binding), binding.description)
        if needed <= room:
            kept.add(action)
            room -= needed
    fitted: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.show and key != palette_key and binding.action not in kept:
            active = active._replace(binding=replace(binding, show=False))
        fitted[key] = active
    return fitted


FooterShape = tuple[tuple[str, str, str, str, str], ...]
"""Per key drawn, in order: (key, action, description, tooltip, group description)."""


class KeysFooter(Footer):
    """Textual's ``Footer``, but a change of which keys are enabled is drawn in place.

    Textual's footer mounts all its keys anew whenever the screen's bindings may have
    changed; mounting lays out the whole screen again (~50-100 ms with a large roster) and
    the conference screen's bindings change as the cursor moves (a key dims on a
    participant it cannot act on). When the keys drawn are the same ones and only their
    enabled state differs, this footer sets their ``-disabled`` class instead.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shape: FooterShape | None = None
        self._enabled: tuple[bool, ...] = ()

    def _read(self, screen: Screen[object]) -> tuple[FooterShape, tuple[bool, ...]]:
        """What the footer draws from ``screen``'s bindings: the first key of each action
        shown, and the command palette's key."""
        shape: list[tuple[str, str, str, str, str]] = []
        enabled: list[bool] = []
        seen: set[str] = set()
        bindings = screen.active_bindings
        for key, (_, binding, on, tooltip) in bindings.items():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                group = binding.group.description if binding.group is not None else ""
                shape.append((key, binding.action, binding.description, tooltip, group))
                enabled.append(on)
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None:
            binding = palette.binding
            shape.append(("", binding.action, binding.description, binding.tooltip, "palette"))
            enabled.append(palette.enabled)
        return tuple(shape), tuple(enabled)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        # Nothing drawn yet (the bindings are not ready): the next change composes again.
        self._shape, self._enabled = self._read(self.screen) if keys else (None, ())
        yield from keys

    def bindings_changed(self, screen: Screen[object]) -> None:
        ready = self._shape is not None and self.is_attached and screen is self.screen
        if ready and screen.app.app_focus:
            shape, enabled = self._read(screen)
            if shape == self._shape:
                if enabled != self._enabled:
                    self._enabled = enabled
                    self._draw_enabled(dict(zip((s[1] for s in shape), enabled, strict=True)))
                return
        super().bindings_changed(screen)

    def _draw_enabled(self, enabled: Mapping[str, bool]) -> None:
        for key in self.query("FooterKey"):
            action = getattr(key, "action", None)
            if isinstance(action, str) and action in enabled:
                disabled = not enabled[action]
                key.set_class(disabled, "-disabled")
                # What the key does when clicked (beep or press): Textual keeps it in an
                # attribute of its own, set when the key was made.
                if hasattr(key, "_disabled"):
                    setattr(key, "_disabled", disabled)  # noqa: B010
