"""A one-field dialog: a number of rooms, a message to every room, and the like.

``TextPromptDialog(title, label, check=...)`` dismisses with the checked value (a str) or
``None`` when cancelled; `check` returns an error message or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.widget import Widget
from textual.widgets import Input

from pextui.sanitize import has_control_chars
from pextui.tui.forms import FormDialog, FormError, field_row

Check = Callable[[str], str | None]


def whole_number(low: int, high: int) -> Check:
    def check(text: str) -> str | None:
        if not text.isdigit() or not low <= int(text) <= high:
            return f"Enter a whole number from {low} to {high}."
        return None

    return check


def some_text(max_chars: int) -> Check:
    def check(text: str) -> str | None:
        if not text:
            return "Enter the text."
        if has_control_chars(text):
            return "The text must not contain control characters."
        if len(text) > max_chars:
            return f"At most {max_chars} characters (this text has {len(text)})."
        return None

    return check


class TextPromptDialog(FormDialog[str]):
    """Ask for one value."""

    def __init__(self, title: str, label: str, check: Check, placeholder: str = "") -> None:
        super().__init__()
        self.heading = title
        self.label = label
        self.check = check
        self.placeholder = placeholder

    def title_text(self) -> str:
        return self.heading

    def compose_fields(self) -> Iterable[Widget]:
        yield field_row(self.label, Input(placeholder=self.placeholder, id="value", compact=True))

    def build_result(self) -> str:
        text = self.query_one("#value", Input).value.strip()
        problem = self.check(text)
        if problem is not None:
            raise FormError(problem, "value")
        return text
