"""The fields of the connect screen, built from an optional earlier request.

Ids: ``node``, ``alias``, ``name``, ``pin`` (masked), ``role`` (``role-host`` /
``role-guest``), ``insecure`` (with ``insecure-warning``) and ``ca-bundle``.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Static

from pextui.protocol.requests import MAX_PIN_DIGITS
from pextui.tui.forms import field_row
from pextui.tui.joining.form import DEFAULT_DISPLAY_NAME, ConnectRequest
from pextui.tui.widgets.choice import host_or_guest

MAX_NAME_CHARS = 100


def connect_fields(start: ConnectRequest | None, default_name: str | None) -> Iterator[Widget]:
    """The form rows, prefilled from ``start`` (the screen sets the PIN field on mount)."""
    yield field_row(
        "Node URL",
        Input(
            start.node_url if start else "",
            placeholder="https://pexip.example.com, or paste a join link",
            id="node",
            compact=True,
        ),
    )
    yield field_row(
        "Conference",
        Input(
            start.alias if start else "",
            placeholder="alias, e.g. meet.demo",
            id="alias",
            compact=True,
        ),
    )
    yield field_row(
        "Your name",
        Input(
            start.display_name if start else default_name or DEFAULT_DISPLAY_NAME,
            placeholder="display name",
            id="name",
            max_length=MAX_NAME_CHARS,
            compact=True,
        ),
    )
    yield field_row(
        "PIN",
        Input(
            placeholder="host or guest PIN (digits); empty if none",
            password=True,
            id="pin",
            max_length=MAX_PIN_DIGITS,
            compact=True,
        ),
    )
    role = start.role if start else "host"
    yield field_row(
        "Join as",
        host_or_guest(role == "host", host_first=True),
    )
    verify = start.verify if start else True
    yield field_row(
        "TLS",
        Checkbox("Skip the certificate check (insecure)", value=verify is False, id="insecure"),
    )
    yield Static(
        "⚠ Anyone on the network path can read and change this session.",
        id="insecure-warning",
        markup=False,
    )
    yield field_row(
        "CA bundle",
        Input(
            verify if isinstance(verify, str) else "",
            placeholder="path to a PEM file (optional)",
            id="ca-bundle",
            compact=True,
        ),
    )
