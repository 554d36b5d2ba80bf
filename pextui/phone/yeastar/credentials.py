"""The Client ID and Client Secret: from the environment or a prompt, never from a file or argv."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from pextui.logs import register_secret

CLIENT_ID_ENV = "PEXTUI_PBX_CLIENT_ID"
CLIENT_SECRET_ENV = "PEXTUI_PBX_CLIENT_SECRET"


class MissingCredentials(Exception):
    """Neither the environment nor a prompt gave the credentials."""


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)

    def __post_init__(self) -> None:
        register_secret(self.client_secret)  # never in a log record, whatever prints it


def load_credentials(
    *,
    prompt: bool | None = None,
    ask: Callable[[str], str] = input,
    ask_secret: Callable[[str], str] = getpass.getpass,
) -> Credentials:
    """From PEXTUI_PBX_CLIENT_ID / PEXTUI_PBX_CLIENT_SECRET, else prompted (on a terminal)."""
    client_id = os.environ.get(CLIENT_ID_ENV, "").strip()
    secret = os.environ.get(CLIENT_SECRET_ENV, "")
    interactive = sys.stdin.isatty() if prompt is None else prompt
    if (not client_id or not secret) and not interactive:
        raise MissingCredentials(
            f"set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} (the PBX's API Client ID and Secret)"
        )
    try:
        if not client_id:
            client_id = ask("Yeastar API Client ID: ").strip()
        if not secret:
            secret = ask_secret("Yeastar API Client Secret: ")
    except (EOFError, KeyboardInterrupt):
        raise MissingCredentials("no Client ID / Secret given") from None
    if not client_id or not secret:
        raise MissingCredentials("no Client ID / Secret given")
    return Credentials(client_id, secret)
