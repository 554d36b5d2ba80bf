"""Oversized event data is malformed (skipped and logged), whatever its shape.

The simulator's malformed-rate fault sends such events now and then (`{"uuid": "<2 MB>"}`
under the original event name); before this limit a `participant_create` of that shape
became a roster entry with a megabyte-long uuid.
"""

from __future__ import annotations

import pytest

from pextui.protocol.models import MalformedEventError, parse_event
from pextui.protocol.models.parse import MAX_EVENT_SIZE

ONE_MB = 1024 * 1024


@pytest.mark.parametrize(
    "name", ["participant_create", "participant_update", "message_received", "stage", "layout"]
)
@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_one_megabyte_event_is_malformed(name: str, as_bytes: bool) -> None:
    data = '{"uuid":"' + "x" * ONE_MB + '","padding":true}'
    with pytest.raises(MalformedEventError) as caught:
        parse_event(name, data.encode() if as_bytes else data)
    message = str(caught.value)
    assert message.startswith(f"malformed {name} event: ")
    assert "xxxx" not in message and len(message) < 200


def test_a_long_but_reasonable_display_name_still_parses() -> None:
    name = "N" * 100_000
    data = '{"uuid":"abc","display_name":"' + name + '"}'
    assert len(data) < MAX_EVENT_SIZE
    event = parse_event("participant_create", data)
    assert event is not None and event.data.display_name == name
