"""The name a participant is shown by, and so sorted, filtered and addressed by.

Display names come from the network: one that cleans to nothing (only an escape sequence,
control or zero-width characters) falls back to the URI, then to the protocol, so a row is
never blank and two such callers can still be told apart.
"""

from __future__ import annotations

from pextui.sanitize import safe_text

__all__ = ["NAME_MAX", "NO_NAME", "shown_name"]

NAME_MAX = 80
NO_NAME = "(no name)"


def shown_name(
    display_name: str, uri: str = "", protocol: str = "", max_len: int = NAME_MAX
) -> str:
    """What the console shows: the cleaned display name, else the URI, else the protocol."""
    name = safe_text(display_name, max_len)
    if name:
        return name
    address = uri[4:] if uri[:4].lower() == "sip:" else uri
    address = safe_text(address, max_len)
    if address:
        return address
    kind = safe_text(protocol, 12)
    return f"{NO_NAME[:-1]} · {kind.upper()})" if kind else NO_NAME
