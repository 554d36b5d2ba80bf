"""The presentation as a picture: the current frame drawn with textual-image.

The renderer: `PEXTUI_IMAGE` = `auto` (default), `kitty`, `sixel`, `halfcell` or `unicode`.
`auto` takes Unicode half-blocks inside tmux or screen and over SSH (graphics protocols
need passthrough there), and otherwise what textual-image detects (Kitty graphics or Sixel
when the terminal answers, half-blocks when not). The pane is a pure view: the screen
fetches frames and hands them over with `show_jpeg`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from types import ModuleType

from PIL import Image as PILImage
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from pextui.tui.literal import literal

# textual-image asks the terminal what it supports when it is imported: that has to happen
# before Textual owns the terminal (afterwards the answer would arrive as key presses), so
# it is imported with the console's modules, never lazily.
images: ModuleType | None
try:
    from textual_image import widget as images
except Exception:  # e.g. a terminal that reports no size (a division by zero inside)
    images = None

RENDERERS = ("auto", "kitty", "sixel", "halfcell", "unicode")


def renderer_name(env: Mapping[str, str] = os.environ) -> str:
    """Which renderer `auto` (or the `PEXTUI_IMAGE` override) comes to."""
    choice = env.get("PEXTUI_IMAGE", "auto").strip().lower() or "auto"
    if choice not in RENDERERS:
        choice = "auto"
    if choice == "auto" and (
        env.get("TMUX")
        or env.get("TERM", "").startswith(("screen", "tmux"))
        or env.get("SSH_CONNECTION")
    ):
        return "halfcell"
    return choice


class NoPicture(Static):
    """Where textual-image could not start: says so, ignores the frames."""

    image: object = None

    def on_mount(self) -> None:
        self.update("Pictures are not available in this terminal")


def image_widget(env: Mapping[str, str] = os.environ) -> Widget:
    if images is None:
        return NoPicture(id="slide")
    classes: dict[str, type[Widget]] = {
        "auto": images.Image,
        "kitty": images.TGPImage,
        "sixel": images.SixelImage,
        "halfcell": images.HalfcellImage,
        "unicode": images.UnicodeImage,
    }
    return classes[renderer_name(env)](id="slide")


class SlidesPane(Vertical):
    DEFAULT_CSS = """
    SlidesPane {
        display: none;
        height: 14;
        border: round $secondary;
    }
    SlidesPane.-on { display: block; }
    SlidesPane.-large { height: 1fr; }
    SlidesPane #slide-caption { height: 1; color: $text-muted; }
    SlidesPane #slide { width: 1fr; height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="slide-caption")
        yield image_widget()

    def caption(self, presenter: str | None, frame: str | None) -> None:
        if presenter is None:
            text = Content("Nobody is presenting")
        else:
            text = Content.assemble(literal(presenter, 40, style="bold"), " presents")
            if frame is not None:
                text = Content.assemble(text, f" · frame {frame}")
        self.query_one("#slide-caption", Static).update(text)

    def show_jpeg(self, data: bytes) -> None:
        """Draw one frame (a JPEG from the node; a broken one is ignored)."""
        try:
            picture = PILImage.open(io.BytesIO(data))
            picture.load()
        except (OSError, ValueError, PILImage.DecompressionBombError):
            return
        self.query_one("#slide").image = picture  # type: ignore[attr-defined]

    def clear(self) -> None:
        self.query_one("#slide").image = None  # type: ignore[attr-defined]
