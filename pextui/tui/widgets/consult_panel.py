"""The consult panel: one attended transfer's state, the target's hosts and roster, the keys.

A pure view over :class:`ConsultView` (built by :mod:`pextui.tui.host.consult`); hidden when
there is no consult to show. Names and aliases come from the network: shown literally.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from pextui.tui.literal import literal


@dataclass(frozen=True, slots=True)
class ConsultView:
    participant: str
    source: str
    target: str
    role: str
    state: str  # consulting | completing | completed | aborted | failed
    facts: str  # the state in words, the message, the lock, the transfer's outcome
    target_summary: str  # "12 in meet.demo, 1 waiting"
    hosts: tuple[str, ...]  # the target's hosts (ourselves excluded)
    roster: tuple[str, ...]  # the first names in the target
    keys: str  # what the keys do now
    here: str  # "source" or "target": the side this screen shows


class ConsultPanel(Static):
    """Docked above the roster while a consult involves this conference."""

    DEFAULT_CSS = """
    ConsultPanel {
        height: auto; max-height: 7; padding: 0 1; border: round $accent;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    ConsultPanel.-ended { border: round $panel-lighten-2; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.view: ConsultView | None = None
        self.display = False

    def show(self, view: ConsultView | None) -> None:
        if view == self.view:
            return
        self.view = view
        self.display = view is not None
        if view is None:
            return
        self.set_class(view.state not in ("consulting", "completing"), "-ended")
        self.border_title = Content.assemble(
            "Attended transfer: ",
            literal(view.participant, 60, "bold"),
            " ",
            literal(view.source, 40),
            " → ",
            literal(view.target, 40),
            f" as {view.role}",
        )
        self.border_subtitle = literal(view.keys)
        self.update(self._body(view))

    @staticmethod
    def _body(view: ConsultView) -> Content:
        where = "here" if view.here == "target" else "in the target"
        hosts = ", ".join(view.hosts) if view.hosts else "none besides you"
        lines = [
            Content.assemble(literal(view.facts, 160)),
            Content.assemble(
                literal(view.target_summary or view.target, 80),
                f" · hosts {where}: ",
                literal(hosts, 120),
            ),
        ]
        if view.roster:
            lines.append(Content.assemble("Roster: ", literal(", ".join(view.roster), 160)))
        return Content("\n").join(lines)
