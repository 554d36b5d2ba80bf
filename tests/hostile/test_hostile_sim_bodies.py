"""Hostile request bodies against the simulator: each gets an answer below 500 (400 with a
reason for what it cannot take: invalid UTF-8, lone surrogates in any field, NaN), and none
breaks the requests after it: a console joining afterwards still gets its full sync."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pextui.sim.config import SimConfig
from pextui.sim.server import SimServer

API = "/api/client/v2/conferences/meet.demo/"
FIELDS = (
    "display_name", "text", "type", "payload", "role", "destination", "protocol", "call_type",
    "layout", "host_layout", "guest_layout", "conference_alias", "pin", "digits", "setting",
    "reason", "aspect_ratio", "presentation_uri", "streaming", "source", "action", "call_tag",
    "conference_extension", "chosen_participant_uuid",
)  # fmt: skip
LONE = ["Lone \ud800 Name", "\udfff", "a\udc80b", "\ud83d", "ok"]
TEXT = (
    st.sampled_from(LONE)
    | st.text(max_size=30)
    | st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=10)
)
LEAF = TEXT | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
VALUE = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
BODY = st.dictionaries(st.sampled_from(FIELDS) | TEXT, VALUE, max_size=5)
RAW = st.sampled_from(
    [b"\xff\xfe{}", b'{"display_name": "\xed\xa0\x80"}', b'{"text": "\xc3"}', b"NaN",
     b'{"layout": NaN}', b'{"x": Infinity}', b"[1]", b'"s"', b"{" * 5000, b"\x00",
     '{"display_name": "x"}'.encode("utf-16")]
) | st.binary(max_size=40)  # fmt: skip
HOST_FUNCTIONS = (
    "request_token", "message", "transform_layout", "set_guests_can_unmute", "dial", "lock",
    "silent_video_detection",
)  # fmt: skip
PARTICIPANT_FUNCTIONS = ("overlaytext", "role", "transfer", "dtmf", "message", "spotlighton",
                         "preferred_aspect_ratio", "fecc", "calls")  # fmt: skip


def encode(body: dict[str, Any]) -> bytes:
    """As a client would send it: JSON escapes for what UTF-8 cannot carry (\\ud800)."""
    return json.dumps(body, ensure_ascii=True).encode("ascii")


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(SimConfig(scenario="quiet", seed=3)) as server:
        yield server


def join(sim: SimServer, name: str = "Fuzz host", pin: str = "1234") -> dict[str, Any]:
    reply = httpx.post(sim.base_url + API + "request_token", json={"display_name": name},
                       headers={"pin": pin}, timeout=10)  # fmt: skip
    assert reply.status_code == 200, reply.text
    return dict(reply.json()["result"])


def assert_answered(reply: httpx.Response) -> None:
    assert reply.status_code < 500, (reply.status_code, reply.text[:200])
    reply.json()  # always a JSON envelope
    if reply.status_code == 400:
        assert reply.json()["result"], "a 400 says why"


def assert_still_syncs(sim: SimServer) -> None:
    """A fresh join gets its roster, its event stream's full sync and the state page."""
    assert httpx.get(sim.base_url + "/_sim/state", timeout=10).status_code == 200
    token = join(sim, "Late joiner")["token"]
    headers = {"token": token}
    roster = httpx.get(sim.base_url + API + "participants", headers=headers, timeout=10)
    assert roster.status_code == 200, roster.text[:200]
    assert any(p["display_name"] == "Late joiner" for p in roster.json()["result"])
    with httpx.stream("GET", sim.base_url + API + "events", headers=headers, timeout=10) as events:
        assert events.status_code == 200
        seen = ""
        for text in events.iter_text():
            seen += text
            if "participant_sync_end" in seen:
                break
    assert "participant_sync_begin" in seen and "Late joiner" in seen
    httpx.post(sim.base_url + API + "release_token", headers=headers, timeout=10)


@pytest.mark.parametrize("field", ["display_name", "text", "payload", "role", "layout"])
def test_a_lone_surrogate_is_refused_with_a_reason_and_breaks_nothing(
    sim: SimServer, field: str
) -> None:
    token = join(sim)["token"]
    for function in ("request_token", "message", "transform_layout"):
        reply = httpx.post(sim.base_url + API + function, content=encode({field: "Lone \ud800 Name",
                           "type": "text/plain", "payload": "x"} | {field: "Lone \ud800 Name"}),
                           headers={"token": token, "pin": "1234",
                                    "content-type": "application/json"}, timeout=10)  # fmt: skip
        assert reply.status_code == 400, (function, reply.text)
        assert "surrogate" in reply.json()["result"]
    reply = httpx.post(sim.base_url + API + "request_token", content=b'{"display_name": "\xff"}',
                       headers={"content-type": "application/json"}, timeout=10)  # fmt: skip
    assert reply.status_code == 400 and "UTF-8" in reply.json()["result"]
    assert_still_syncs(sim)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fuzzed_bodies_never_500_and_never_break_a_later_join(
    sim: SimServer, data: st.DataObject
) -> None:
    host = join(sim)
    headers = {"token": host["token"], "pin": "1234", "content-type": "application/json"}
    uuid = host["participant_uuid"]
    for _ in range(4):
        raw = data.draw(st.builds(encode, BODY) | RAW)
        if data.draw(st.booleans()):
            url = API + data.draw(st.sampled_from(HOST_FUNCTIONS))
        else:
            url = API + f"participants/{uuid}/" + data.draw(st.sampled_from(PARTICIPANT_FUNCTIONS))
        assert_answered(httpx.post(sim.base_url + url, content=raw, headers=headers, timeout=10))
    httpx.post(sim.base_url + API + "release_token", headers=headers, timeout=10)


def test_after_the_fuzzing_a_fresh_join_still_syncs(sim: SimServer) -> None:
    # the module's simulator has taken every fuzzed body above (same module, same server)
    assert_still_syncs(sim)
