"""Show the invite links of the conference (guest / host, web app and ``pexip://``).

``InviteDialog(links, conference="")`` takes a :class:`pextui.links.InviteLinks` (from
``pextui.links.build_links``) or a sequence of ``(label, url)`` pairs and dismisses with
``None``. Each link has a Copy button (and the keys 1-4) that puts it on the clipboard
with ``App.copy_to_clipboard``. A PIN inside a link is masked on screen (screenshots must
not show it) but copied in full.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from pextui.links import InviteLinks, LinkError, build_links
from pextui.tui.literal import literal
from pextui.tui.stylesheets import DIALOG_CSS
from pextui.tui.widgets.url_text import UrlText

_PIN_PARAMETER = re.compile(r"(?i)([?&]pin=)[^&#]*")


def mask_pin(url: str) -> str:
    """``url`` with the value of any ``pin=`` parameter replaced by ``****``."""
    return _PIN_PARAMETER.sub(r"\g<1>****", url)


def invite_pairs(links: InviteLinks | Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ``(label, url)`` pairs to show, guest links first."""
    if isinstance(links, InviteLinks):
        return [
            ("Guest, web app", links.guest_webapp),
            ("Guest, Pexip app (pexip://)", links.guest_pexip),
            ("Host, web app", links.host_webapp),
            ("Host, Pexip app (pexip://)", links.host_pexip),
        ]
    return [(label, url) for label, url in links]


class InviteDialog(ModalScreen[None]):
    """The invite links, each shown literally with a Copy button."""

    CSS_PATH = DIALOG_CSS
    DEFAULT_CLASSES = "dialog"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Close the invite links"),
        Binding("1", "copy(0)", "Copy 1", show=False),
        Binding("2", "copy(1)", "Copy 2", show=False),
        Binding("3", "copy(2)", "Copy 3", show=False),
        Binding("4", "copy(3)", "Copy 4", show=False),
    ]
    AUTO_FOCUS = "Button"

    def __init__(
        self, links: InviteLinks | Sequence[tuple[str, str]], *, conference: str = ""
    ) -> None:
        super().__init__()
        self.links = invite_pairs(links)
        self.conference = conference

    def compose(self) -> ComposeResult:
        box = VerticalScroll(id="invite", classes="dialog-box")
        box.can_focus = False
        box.border_title = Content("Invite links")
        with box:
            if self.conference:
                yield Static(
                    Content.assemble("Invite to ", literal(self.conference, style="bold")),
                    id="conference",
                )
            for index, (label, url) in enumerate(self.links):
                with Horizontal(classes="link-row"):
                    yield Button(
                        f"Copy {index + 1}", id=f"copy-{index}", compact=True, variant="primary"
                    )
                    with Vertical(classes="link-text"):
                        yield Static(literal(label), classes="link-label")
                        yield UrlText(mask_pin(url), classes="link-url")
            yield Static(
                "Copy with the button or the keys 1-4 (the terminal must allow clipboard "
                "access); Escape closes.",
                id="invite-hint",
                markup=False,
            )

    def action_copy(self, index: int) -> None:
        """Put link number ``index`` (0-based) on the clipboard."""
        if not 0 <= index < len(self.links):
            return
        label, url = self.links[index]
        self.app.copy_to_clipboard(url)
        self.notify(f"{label} link copied to the clipboard.", title="Copied", markup=False)

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)

    @on(Button.Pressed)
    def _copy_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        if button_id.startswith("copy-"):
            self.action_copy(int(button_id.removeprefix("copy-")))


class InviteScreen(InviteDialog):
    """The invite links of ``alias`` on ``node``, built with ``pextui.links.build_links``
    (``extension``: the target when ``alias`` is a Virtual Reception).

    ``guest_pin`` goes into the guest links when given (it only admits guests); the host
    links never carry the host PIN, so forwarding one does not hand out host rights.
    """

    def __init__(
        self,
        node: str,
        alias: str,
        *,
        guest_pin: str | None = None,
        extension: str | None = None,
        conference: str | None = None,
    ) -> None:
        try:
            pairs: InviteLinks | Sequence[tuple[str, str]] = build_links(
                node, alias, guest_pin=guest_pin, extension=extension
            )
        except LinkError as error:
            pairs = [("Links unavailable", f"cannot build links: {error}")]
        super().__init__(pairs, conference=conference or alias)
