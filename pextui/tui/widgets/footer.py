"""Which keys the footer shows: the most useful ones that fit one line.

Textual's ``Footer`` draws ``screen.active_bindings`` (public API) whose binding has
``show`` set. :func:`fit_footer` takes those bindings and hides (``show=False``) the ones that
do not fit the width, in :data:`FOOTER_PRIORITY` order; the help screen (?) and the command
palette still list every key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from textual.binding import ActiveBinding, Binding


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
