"""Change the conference layout (``transform_layout``).

``LayoutDialog(layouts=None, *, auditorium=False, current=None)`` dismisses with a
:class:`LayoutRequest` or ``None`` when cancelled. ``layouts`` is the node's
``available_layouts`` (names); when not given, the protocol's list (:data:`DEFAULT_LAYOUTS`)
is offered. In a Virtual Auditorium (``auditorium=True``) the host and guest layouts are
chosen separately. ``current`` (the layout in use, or the previous request) preselects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.widget import Widget
from textual.widgets import Checkbox, Select, Static

from pextui.protocol.requests import LAYOUTS
from pextui.sanitize import safe_text
from pextui.tui.forms import FormDialog, FormError, field_row
from pextui.tui.literal import literal
from pextui.tui.present import LAYOUT_DESCRIPTIONS

DEFAULT_LAYOUTS: tuple[str, ...] = LAYOUTS  # when the node's list is not known


def layout_label(name: str) -> str:
    """``"1:7 · 1 large + up to 7 small"``; unknown names as they are (neutralised)."""
    description = LAYOUT_DESCRIPTIONS.get(name)
    safe = safe_text(name, 40)
    return f"{safe} · {description}" if description else safe


@dataclass(frozen=True)
class LayoutRequest:
    """A layout change. ``layout`` for a meeting room, host/guest layouts for an auditorium."""

    layout: str | None = None
    host_layout: str | None = None
    guest_layout: str | None = None
    enable_extended_ac: bool = False
    enable_overlay_text: bool = True
    streaming_indicator: bool = True
    recording_indicator: bool = True
    enable_active_speaker_indication: bool = True

    def to_body(self) -> dict[str, dict[str, str | bool]]:
        """The JSON body of ``transform_layout``: ``{"transforms": {...}}``."""
        transforms: dict[str, str | bool] = {}
        for key in ("layout", "host_layout", "guest_layout"):
            value = getattr(self, key)
            if value is not None:
                transforms[key] = value
        transforms.update(
            enable_extended_ac=self.enable_extended_ac,
            enable_overlay_text=self.enable_overlay_text,
            streaming_indicator=self.streaming_indicator,
            recording_indicator=self.recording_indicator,
            enable_active_speaker_indication=self.enable_active_speaker_indication,
        )
        return {"transforms": transforms}


_FLAGS: tuple[tuple[str, str], ...] = (
    ("enable_extended_ac", "Extended Adaptive Composition"),
    ("enable_overlay_text", "Overlay text (names)"),
    ("enable_active_speaker_indication", "Active speaker indication"),
    ("streaming_indicator", "Streaming indicator"),
    ("recording_indicator", "Recording indicator"),
)


class LayoutDialog(FormDialog[LayoutRequest]):
    """Choose the layout(s) and the overlay/indicator options."""

    SUBMIT_LABEL = "Apply"
    TITLE_TEXT: ClassVar[str] = "Layout"

    def __init__(
        self,
        layouts: Sequence[str] | None = None,
        *,
        auditorium: bool = False,
        current: LayoutRequest | None = None,
    ) -> None:
        super().__init__()
        names = [name for name in (layouts or DEFAULT_LAYOUTS) if name]
        self.layouts: list[str] = list(dict.fromkeys(names)) or list(DEFAULT_LAYOUTS)
        self.auditorium = auditorium
        self.current = current or LayoutRequest()

    def _select(self, select_id: str, value: str | None) -> Select[str]:
        options = [(literal(layout_label(name)), name) for name in self.layouts]
        chosen = value if value in self.layouts else self._fallback_layout()
        return Select(options, value=chosen, allow_blank=False, id=select_id, compact=True)

    def _fallback_layout(self) -> str:
        return "ac" if "ac" in self.layouts else self.layouts[0]

    def compose_fields(self) -> Iterable[Widget]:
        if self.auditorium:
            first = field_row("Host layout", self._select("host-layout", self.current.host_layout))
            first.id = "layout-first-row"
            yield first
            yield field_row("Guest layout", self._select("guest-layout", self.current.guest_layout))
        else:
            first = field_row("Layout", self._select("layout", self.current.layout))
            first.id = "layout-first-row"
            yield first
        yield Static("Options", id="flags-label")
        for key, label in _FLAGS:
            yield Checkbox(label, value=bool(getattr(self.current, key)), id=key.replace("_", "-"))

    def _chosen(self, select_id: str) -> str:
        value = self.query_one(f"#{select_id}", Select).selection
        if not isinstance(value, str):
            raise FormError("Choose a layout.", select_id)
        return value

    def _flag(self, key: str) -> bool:
        return self.query_one(f"#{key.replace('_', '-')}", Checkbox).value

    def build_result(self) -> LayoutRequest:
        return LayoutRequest(
            layout=None if self.auditorium else self._chosen("layout"),
            host_layout=self._chosen("host-layout") if self.auditorium else None,
            guest_layout=self._chosen("guest-layout") if self.auditorium else None,
            enable_extended_ac=self._flag("enable_extended_ac"),
            enable_overlay_text=self._flag("enable_overlay_text"),
            streaming_indicator=self._flag("streaming_indicator"),
            recording_indicator=self._flag("recording_indicator"),
            enable_active_speaker_indication=self._flag("enable_active_speaker_indication"),
        )
