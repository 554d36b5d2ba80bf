"""Joining with prompts: the conversation between the connect screen and the node.

:func:`join_with_prompts` calls the connector and answers what the node asks for: a PIN
(:class:`PinPromptScreen`, asked again with the reason after a wrong one), a Virtual
Reception target (:class:`ExtensionPromptScreen`, asked again when the target is unknown).
Every other failure becomes a :class:`JoinFailure` with a message for the host (never the
PIN) and the form field it is about. It must run in a worker (``push_screen_wait``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from textual.screen import Screen

from pextui.protocol.client import JoinParams
from pextui.protocol.errors import (
    ConferenceNotFoundError,
    ExtensionRequiredError,
    InvalidPinError,
    NetworkError,
    PexipError,
    PinRequiredError,
    TLSError,
)
from pextui.sanitize import safe_text
from pextui.tui.screens.extension_prompt import ExtensionPromptScreen
from pextui.tui.screens.pin_prompt import PinPromptScreen

if TYPE_CHECKING:
    from pextui.protocol.session import Session

log = logging.getLogger(__name__)

Connector = Callable[[JoinParams], Awaitable["Session"]]


class Prompter(Protocol):
    """Shows a prompt and waits for its answer: the app (``App.push_screen_wait``), or a
    conference's tab, which waits until it is in front."""

    async def push_screen_wait(self, screen: Screen[Any]) -> Any: ...


@dataclass(frozen=True)
class JoinFailure:
    """Why joining stopped: ``message`` for the host, the ``field_id`` to focus."""

    message: str
    field_id: str | None = None
    clear_pin: bool = False
    cancelled: bool = False  # the host closed a prompt


@dataclass(frozen=True)
class JoinResult:
    """The session (or the failure) and the parameters that were used last."""

    params: JoinParams
    session: Session | None = None
    failure: JoinFailure | None = None


async def join_with_prompts(
    app: Prompter, connector: Connector, params: JoinParams, *, ask_again: bool = False
) -> JoinResult:
    """Join, prompting for a PIN or a Virtual Reception target as the node asks.

    A wrong PIN given up front (in the form) is a failure for the form to show; with
    ``ask_again`` (a PIN from the command line: no form) the PIN prompt asks instead.
    """
    # (host PIN, guest PIN) as the node said; a guest PIN of None is "not said yet" (a wrong
    # PEXTUI_PIN is refused before): "join as guest without a PIN" is then not offered.
    pin_flags: tuple[bool, bool | None] | None = None
    pin_error: str | None = None
    extension_error: str | None = None
    while True:
        try:
            session = await connector(params)
        except PinRequiredError as error:
            pin_flags = (error.host_pin, error.guest_pin)
            pin = await _ask_pin(app, params.alias, pin_flags, pin_error)
            if pin is None:
                return _cancelled(params, "Joining cancelled: the conference needs a PIN.")
            params = replace(params, pin=pin)
        except InvalidPinError as error:
            if pin_flags is None and not ask_again:  # the PIN typed in the form was wrong
                return _failed(params, f"Wrong PIN: {error.reason}", "pin", clear_pin=True)
            pin_flags = pin_flags or (True, None)
            pin_error = error.reason
            pin = await _ask_pin(app, params.alias, pin_flags, pin_error)
            if pin is None:
                if ask_again:
                    return _cancelled(params, f"Wrong PIN: {error.reason}")
                return _failed(params, f"Wrong PIN: {error.reason}", "pin", clear_pin=True)
            params = replace(params, pin=pin)
        except ExtensionRequiredError as error:
            answer = await app.push_screen_wait(
                ExtensionPromptScreen(params.alias, kind=error.kind, error=extension_error)
            )
            if answer is None:
                return _cancelled(params, "Joining cancelled: this alias is a Virtual Reception.")
            params = replace(params, conference_extension=answer.extension)
        except ConferenceNotFoundError as error:
            target = params.conference_extension
            if target is None:
                return _failed(params, f"Unknown conference alias: {error.reason}", "alias")
            extension_error = f"{error.reason} (target {safe_text(target, 60)})"
            params = replace(params, conference_extension=None)
        except TLSError as error:
            return _failed(
                params,
                f"Certificate problem: {error.reason}. Give the node's CA bundle, or (unsafe) "
                "skip the certificate check.",
                "ca-bundle",
            )
        except NetworkError as error:
            return _failed(params, f"Cannot reach the node: {error.reason}", "node")
        except PexipError as error:
            return _failed(params, error.reason)
        except Exception as error:  # the screen must survive any failure of the client
            log.error("joining failed: %s", type(error).__name__)
            return _failed(params, f"Joining failed: {type(error).__name__}")
        else:
            return JoinResult(params, session=session)


async def _ask_pin(
    app: Prompter, alias: str, flags: tuple[bool, bool | None], error: str | None
) -> str | None:
    host_pin, guest_pin = flags
    answer = await app.push_screen_wait(
        PinPromptScreen(alias, host_pin=host_pin, guest_pin=guest_pin, error=error)
    )
    return None if answer is None else answer.pin


def _failed(
    params: JoinParams, message: str, field_id: str | None = None, *, clear_pin: bool = False
) -> JoinResult:
    return JoinResult(params, failure=JoinFailure(message, field_id, clear_pin))


def _cancelled(params: JoinParams, message: str) -> JoinResult:
    return JoinResult(params, failure=JoinFailure(message, cancelled=True))
