"""The ACS connection string: from the environment or a prompt, never config, log or argv.

`endpoint=https://HOST/;accesskey=BASE64`. The access key is registered with the log
redaction as soon as it is read; `describe()` shows only the endpoint.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pextui.logs import register_secret

CONNECTION_STRING_ENV = "PEXTUI_ACS_CONNECTION_STRING"


class ConnectionStringError(ValueError):
    """The connection string is missing or malformed (the message never contains the key)."""


@dataclass(frozen=True, slots=True)
class ConnectionString:
    endpoint: str
    access_key: str = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> ConnectionString:
        parts: dict[str, str] = {}
        for item in text.strip().split(";"):
            if not item.strip():
                continue
            name, sep, value = item.partition("=")
            if not sep:
                raise ConnectionStringError("the ACS connection string is not NAME=VALUE;...")
            parts[name.strip().lower()] = value.strip()
        endpoint, key = parts.get("endpoint", ""), parts.get("accesskey", "")
        if not endpoint or not key:
            raise ConnectionStringError("the ACS connection string needs endpoint= and accesskey=")
        register_secret(key)
        url = urlsplit(endpoint)
        if url.scheme != "https" or not url.hostname:
            raise ConnectionStringError("the ACS endpoint must be an https:// URL")
        try:
            base64.b64decode(key, validate=True)
        except (binascii.Error, ValueError):
            raise ConnectionStringError("the ACS access key is not base64") from None
        return cls(endpoint, key)

    def text(self) -> str:
        """The connection string as the SDK wants it (secret: never print or log it)."""
        return f"endpoint={self.endpoint};accesskey={self.access_key}"

    def describe(self) -> str:
        return f"ACS resource {self.endpoint}"


def connection_string(
    env: Mapping[str, str] | None = None,
    prompt: Callable[[str], str] | None = None,
) -> ConnectionString:
    """From $PEXTUI_ACS_CONNECTION_STRING, else asked for without echo (when interactive)."""
    environ = os.environ if env is None else env
    text = environ.get(CONNECTION_STRING_ENV, "")
    if not text and prompt is not None:
        text = prompt("ACS connection string: ")
    if not text:
        raise ConnectionStringError(
            f"no ACS connection string: set {CONNECTION_STRING_ENV} or run interactively"
        )
    return ConnectionString.parse(text)


def hidden_prompt(question: str) -> str:
    return getpass.getpass(question)
