"""Request bodies of the host functions, validated before anything is sent.

Each builder returns the JSON body (a dict) or raises `RequestValidationError` (a
`ValueError`) with a message that says what is wrong and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

# Layout names (docs/protocol.md, "Layouts"), in the order a layout picker offers them; a
# node lists its own with available_layouts, this is the fallback.
LAYOUTS: tuple[str, ...] = (
    "ac",
    "1:0",
    "1:7",
    "1:21",
    "2:21",
    "1:33",
    "4:0",
    "2x2",
    "9:0",
    "16:0",
    "25:0",
    "5:7",
    "teams",
)
KNOWN_LAYOUTS: frozenset[str] = frozenset(LAYOUTS)
DIAL_PROTOCOLS = ("sip", "h323", "rtmp", "mssip", "auto")
DIAL_ROLES = ("HOST", "GUEST")
CALL_TYPES = ("video", "video-only", "audio")
KEEP_ALIVE = (
    "keep_conference_alive",
    "keep_conference_alive_if_multiple",
    "keep_conference_alive_never",
)
MESSAGE_TYPES = ("text/plain", "application/json")
TRANSFER_ROLES = ("host", "guest")
PARTICIPANT_ROLES = ("chair", "guest")
FECC_ACTIONS = ("start", "stop", "continue")
FECC_DIRECTIONS: Mapping[str, tuple[str, ...]] = {
    "pan": ("left", "right"),
    "tilt": ("up", "down"),
    "zoom": ("in", "out"),
}
# used with fullmatch: `$` would also accept a trailing newline ("1234\n")
DTMF_PATTERN = re.compile(r"[0-9*#ABCD]+")
PIN_PATTERN = re.compile(r"[0-9]{1,20}")
BANDWIDTH_RANGE = (256, 2464)
SILENT_AFTER_RANGE = (1, 120)
REACTIVATE_AFTER_RANGE = (1, 5)
MAX_OVERLAY_TEXT = 256
MAX_MESSAGE_PAYLOAD = 4096
MAX_DTMF_DIGITS = 64
MAX_ALIAS_LENGTH = 250
MAX_PIN_DIGITS = 20
_DTMF_SEQUENCE = re.compile(r"[0-9*#A-D,]+")  # with pauses (dial-out's DTMF after answer)
_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOT_IN_PATH = "/?#"  # an alias goes in the URL path


class RequestValidationError(ValueError):
    """A request body would be refused: the message says which field and why."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise RequestValidationError(message)


def _choice(field: str, value: str, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    _require(value in options, f"{field} must be one of {', '.join(options)} (got {value!r})")
    return value


def _text(field: str, value: str, max_length: int, *, allow_empty: bool = False) -> str:
    _require(isinstance(value, str), f"{field} must be text")
    _require(allow_empty or value.strip() != "", f"{field} must not be empty")
    _require(len(value) <= max_length, f"{field} is too long (at most {max_length} characters)")
    _require(_sendable(value), f"{field} is not valid text (it has an unpaired surrogate)")
    return value


def _sendable(value: str) -> bool:
    """Encodable as UTF-8, as JSON bodies are sent (a lone surrogate, e.g. from a
    command-line argument that was not valid UTF-8, is not)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _in_range(field: str, value: float, bounds: tuple[int, int]) -> float:
    low, high = bounds
    _require(
        isinstance(value, int | float) and not isinstance(value, bool),
        f"{field} must be a number",
    )
    _require(low <= value <= high, f"{field} must be between {low} and {high} (got {value})")
    return value


def validate_alias(alias: str) -> str:
    """A conference alias: non-empty, no whitespace or slashes (it goes in the URL path)."""
    _text("alias", alias, MAX_ALIAS_LENGTH)
    _require(
        not any(ch.isspace() or ch in "/?#" for ch in alias),
        "alias must not contain spaces, '/', '?' or '#'",
    )
    return alias


def check_alias(value: str, what: str = "Alias", *, in_path: bool = True) -> str:
    """A conference alias (``in_path``: it goes in the URL path) or a dial destination, as
    typed in a form: trimmed; the message names the field (``what``) as the form shows it."""
    alias = value.strip()
    _require(alias != "", f"{what} is required.")
    _require(
        not _WHITESPACE_OR_CONTROL.search(alias),
        f"{what} must not contain spaces or control characters.",
    )
    _require(
        not in_path or not any(ch in _NOT_IN_PATH for ch in alias),
        f"{what} must not contain '/', '?' or '#'.",
    )
    _require(
        len(alias) <= MAX_ALIAS_LENGTH,
        f"{what} is too long (at most {MAX_ALIAS_LENGTH} characters).",
    )
    _require(_sendable(alias), f"{what} is not valid text.")
    return alias


def check_pin(value: str, required: bool = False) -> str | None:
    """A PIN as typed in a form: digits only; ``None`` when empty and not ``required``."""
    pin = value.strip()
    if not pin:
        _require(not required, "Enter the PIN.")
        return None
    _require(pin.isascii() and pin.isdigit(), "A PIN is digits only (0-9).")
    _require(len(pin) <= MAX_PIN_DIGITS, f"A PIN has at most {MAX_PIN_DIGITS} digits.")
    return pin


def check_dtmf(value: str, allow_pauses: bool = False) -> str:
    """DTMF digits as typed: 0-9, *, #, A-D (upper-cased); commas (pauses) if allowed."""
    digits = value.strip().upper()
    _require(digits != "", "Enter at least one digit.")
    pattern = _DTMF_SEQUENCE if allow_pauses else DTMF_PATTERN
    allowed = "0-9, *, #, A-D" + (" and , (pause)" if allow_pauses else "")
    _require(bool(pattern.fullmatch(digits)), f"DTMF takes only {allowed}.")
    _require(len(digits) <= MAX_DTMF_DIGITS, f"At most {MAX_DTMF_DIGITS} digits at a time.")
    return digits


def validate_pin(pin: str) -> str:
    """A PIN: digits only (the message never repeats the value)."""
    _require(bool(PIN_PATTERN.fullmatch(pin)), "PIN must be 1 to 20 digits")
    return pin


def validate_bandwidth(kbps: int) -> int:
    """Call bandwidth in kbps, 256-2464 as Infinity Connect accepts."""
    _require(isinstance(kbps, int) and not isinstance(kbps, bool), "bandwidth must be an integer")
    low, high = BANDWIDTH_RANGE
    _require(low <= kbps <= high, f"bandwidth must be between {low} and {high} kbps (got {kbps})")
    return kbps


def validate_layout(
    name: str, available: Collection[str] | None = None, field: str = "layout"
) -> str:
    """A layout name from `available` (the node's available_layouts) or the known set."""
    allowed = set(available) if available else set(KNOWN_LAYOUTS)
    _require(
        name in allowed and _sendable(name),
        f"{field} must be one of {', '.join(sorted(allowed))} (got {name!r})",
    )
    return name


def dtmf_body(digits: str) -> dict[str, Any]:
    _require(isinstance(digits, str) and digits != "", "DTMF digits must not be empty")
    _require(len(digits) <= MAX_DTMF_DIGITS, f"at most {MAX_DTMF_DIGITS} DTMF digits at once")
    _require(
        bool(DTMF_PATTERN.fullmatch(digits)),
        f"DTMF digits may only be 0-9, *, #, A, B, C, D (got {digits!r})",
    )
    return {"digits": digits}


def message_body(payload: str, content_type: str = "text/plain") -> dict[str, Any]:
    _choice("message type", content_type, MESSAGE_TYPES)
    _text("message", payload, MAX_MESSAGE_PAYLOAD)
    return {"type": content_type, "payload": payload}


def check_message(value: str) -> str:
    """A chat message as typed in a form: trimmed, not empty, no control characters, at most
    :data:`MAX_MESSAGE_PAYLOAD` characters."""
    text = value.strip()
    _require(text != "", "Enter the message.")
    _require(not _CONTROL.search(text), "The message must not contain control characters.")
    _require(
        len(text) <= MAX_MESSAGE_PAYLOAD,
        f"At most {MAX_MESSAGE_PAYLOAD} characters (this message has {len(text)}).",
    )
    _require(_sendable(text), "The message is not valid text.")
    return text


def overlay_text_body(text: str) -> dict[str, Any]:
    return {"text": _text("overlay text", text, MAX_OVERLAY_TEXT, allow_empty=True)}


def role_body(role: str) -> dict[str, Any]:
    """Participant role: `chair` (host) or `guest`; `host` is accepted for `chair`."""
    value = "chair" if role.lower() == "host" else role.lower()
    return {"role": _choice("role", value, PARTICIPANT_ROLES)}


def transfer_body(alias: str, role: str = "guest", pin: str | None = None) -> dict[str, Any]:
    """Transfer target: alias, role `host`|`guest` (`chair` means host), optional PIN."""
    value = "host" if role.lower() == "chair" else role.lower()
    body: dict[str, Any] = {
        "conference_alias": validate_alias(alias),
        "role": _choice("transfer role", value, TRANSFER_ROLES),
    }
    if pin:
        body["pin"] = validate_pin(pin)
    return body


def pres_in_mix_body(state: bool) -> dict[str, Any]:
    _require(isinstance(state, bool), "pres_in_mix state must be true or false")
    return {"state": state}


def guests_can_unmute_body(setting: bool) -> dict[str, Any]:
    _require(isinstance(setting, bool), "guests_can_unmute setting must be true or false")
    return {"setting": setting}


def fecc_body(
    action: str,
    movement: Iterable[tuple[str, str]],
    target: str | None = None,
    timeout_ms: int | None = None,
) -> dict[str, Any]:
    """Far-end camera control: movements are (axis, direction) pairs, e.g. ("pan", "left")."""
    _choice("FECC action", action, FECC_ACTIONS)
    moves = []
    for axis, direction in movement:
        _choice("FECC axis", axis, FECC_DIRECTIONS)
        _choice(f"FECC direction for {axis}", direction, FECC_DIRECTIONS[axis])
        moves.append({"axis": axis, "direction": direction})
    _require(bool(moves), "FECC needs at least one movement")
    _require(len({m["axis"] for m in moves}) == len(moves), "FECC moves each axis at most once")
    body: dict[str, Any] = {"action": action, "movement": moves}
    if target is not None:
        body["target"] = target
    if timeout_ms is not None:
        _in_range("FECC timeout (ms)", timeout_ms, (1, 60_000))
        body["timeout"] = timeout_ms
    return body


def silent_video_detection_body(
    enable: bool | None = None,
    silent_after: float | None = None,
    require_no_faces: bool | None = None,
    reactivate_after: float | None = None,
) -> dict[str, Any]:
    """Silent video detection config: silent_after 1-120 s, reactivate_after 1-5 s."""
    config: dict[str, Any] = {}
    if enable is not None:
        config["enable"] = bool(enable)
    if silent_after is not None:
        config["silent_after"] = _in_range("silent_after", silent_after, SILENT_AFTER_RANGE)
    if require_no_faces is not None:
        config["require_no_faces"] = bool(require_no_faces)
    if reactivate_after is not None:
        config["reactivate_after"] = _in_range(
            "reactivate_after", reactivate_after, REACTIVATE_AFTER_RANGE
        )
    _require(bool(config), "silent video detection needs at least one setting")
    return {"config": config}


def transform_layout_body(
    layout: str | None = None,
    *,
    host_layout: str | None = None,
    guest_layout: str | None = None,
    streaming_layout: str | None = None,
    enable_overlay_text: bool | None = None,
    enable_extended_ac: bool | None = None,
    enable_active_speaker_indication: bool | None = None,
    streaming_indicator: bool | None = None,
    recording_indicator: bool | None = None,
    free_form_overlay_text: list[str] | None = None,
    available: Collection[str] | None = None,
) -> dict[str, Any]:
    """transform_layout body; layout names are checked against `available` or the known set."""
    transforms: dict[str, Any] = {}
    for field, name in (
        ("layout", layout),
        ("host_layout", host_layout),
        ("guest_layout", guest_layout),
    ):
        if name is not None:
            transforms[field] = validate_layout(name, available, field)
    if streaming_layout is not None:
        transforms["streaming"] = {
            "layout": validate_layout(streaming_layout, available, "streaming layout")
        }
    for field, flag in (
        ("enable_overlay_text", enable_overlay_text),
        ("enable_extended_ac", enable_extended_ac),
        ("enable_active_speaker_indication", enable_active_speaker_indication),
        ("streaming_indicator", streaming_indicator),
        ("recording_indicator", recording_indicator),
    ):
        if flag is not None:
            transforms[field] = bool(flag)
    if free_form_overlay_text is not None:
        transforms["free_form_overlay_text"] = [
            _text("overlay text", t, MAX_OVERLAY_TEXT, allow_empty=True)
            for t in free_form_overlay_text
        ]
    _require(bool(transforms), "transform_layout needs at least one change")
    return {"transforms": transforms}


def dial_body(
    destination: str,
    *,
    role: str = "GUEST",
    protocol: str = "auto",
    call_type: str | None = None,
    source_display_name: str | None = None,
    remote_display_name: str | None = None,
    text: str | None = None,
    dtmf_sequence: str | None = None,
    presentation_url: str | None = None,
    streaming: bool | None = None,
    keep_conference_alive: str | None = None,
) -> dict[str, Any]:
    """Dial-out body: role HOST|GUEST, protocol sip|h323|rtmp|mssip|auto."""
    body: dict[str, Any] = {
        "destination": _text("destination", destination, MAX_ALIAS_LENGTH),
        "role": _choice("dial role", role.upper(), DIAL_ROLES),
        "protocol": _choice("protocol", protocol.lower(), DIAL_PROTOCOLS),
    }
    if call_type is not None:
        body["call_type"] = _choice("call type", call_type, CALL_TYPES)
    for field, value in (
        ("source_display_name", source_display_name),
        ("remote_display_name", remote_display_name),
        ("text", text),
        ("presentation_url", presentation_url),
    ):
        if value is not None:
            body[field] = _text(field, value, MAX_OVERLAY_TEXT)
    if dtmf_sequence is not None:
        body["dtmf_sequence"] = dtmf_body(dtmf_sequence)["digits"]
    if streaming is not None:
        body["streaming"] = "yes" if streaming else "no"
    if keep_conference_alive is not None:
        body["keep_conference_alive"] = _choice(
            "keep_conference_alive", keep_conference_alive, KEEP_ALIVE
        )
    return body
