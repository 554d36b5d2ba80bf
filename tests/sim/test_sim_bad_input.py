"""Bad input to the simulator: clear 4xx answers with a reason, never a 500 or a crash."""

from __future__ import annotations

import httpx
import pytest

from pextui.sim.routes_conference import CONFERENCE
from pextui.sim.routes_participant import CALL, PARTICIPANT
from pextui.sim.server import SimServer
from tests.sim.sim_helpers import API, join

BAD_BODIES = [
    b"not json",
    b"{",
    b"[1, 2, 3]",
    b'"a string"',
    b"null",
    b'{"display_name": 5, "role": [], "destination": {}, "transforms": 1, "setting": "x"}',
    b"[" * 20_000 + b"]" * 20_000,
    b'{"n": ' + b"9" * 5000 + b"}",
    b"\xff\xfe\xfa",
    b'{"digits": NaN, "text": Infinity, "state": null}',
]


def assert_clear(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        assert body["status"] in ("success", "failed")


def test_every_function_survives_garbage_bodies(sim: SimServer, client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    victim = join(client, "meet.demo", "Vic", pin="none")
    paths = [name for name in CONFERENCE.functions if name != "disconnect"]
    paths += [f"participants/{victim.uuid}/{name}" for name in PARTICIPANT.functions]
    paths += [f"participants/{victim.uuid}/calls/nope/{name}" for name in CALL.functions]
    paths += ["request_token"]
    for path in paths:
        if path.endswith(("/disconnect", "/transfer")):
            continue
        for body in BAD_BODIES:
            response = host.post(path, content=body, headers={"content-type": "application/json"})
            assert_clear(response)
            if response.status_code == 400:
                assert isinstance(response.json()["result"], str) and response.json()["result"]
    assert host.get("conference_status").status_code == 200


def test_malformed_json_is_400_with_a_reason(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    response = host.post("message", content=b'{"type": "text/plain", "payload": ')
    assert response.status_code == 400
    assert "Malformed JSON" in response.json()["result"]
    response = client.post(API + "meet.demo/request_token", content=b"[]", headers={"pin": "1234"})
    assert response.status_code == 400 and "object" in response.json()["result"]


def test_wrong_types_and_missing_fields_are_400(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    cases = [
        ("message", {"type": "text/plain"}),
        ("message", {"type": "image/png", "payload": "x"}),
        ("message", {"type": "text/plain", "payload": 42}),
        ("set_guests_can_unmute", {"setting": "yes"}),
        ("set_guests_can_unmute", {}),
        (f"participants/{host.uuid}/overlaytext", {"text": ["x"]}),
        (f"participants/{host.uuid}/pres_in_mix", {"state": 1}),
        (f"participants/{host.uuid}/role", {}),
    ]
    for path, body in cases:
        response = host.post(path, json=body)
        assert response.status_code == 400, (path, body)
        assert response.json()["status"] == "failed"


def test_oversized_bodies_are_413(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    payload = "x" * 200_000
    response = host.post("message", json={"type": "text/plain", "payload": payload})
    assert response.status_code == 413
    assert "too large" in response.json()["result"]

    def chunks() -> object:
        for _ in range(100):
            yield b"x" * 4096

    streamed = host.post("message", content=chunks())  # no Content-Length: chunked
    assert streamed.status_code == 413


def test_absurd_values_are_400(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    too_long_name = client.post(
        API + "meet.demo/request_token",
        json={"display_name": "x" * 10_000},
        headers={"pin": "1234"},
    )
    assert too_long_name.status_code == 400
    blank = client.post(
        API + "meet.demo/request_token", json={"display_name": "  "}, headers={"pin": "1234"}
    )
    assert blank.status_code == 400
    assert (
        host.post(
            "silent_video_detection", json={"config": {"reactivate_after": 1e308}}
        ).status_code
        == 400
    )
    assert (
        host.post(f"participants/{host.uuid}/dtmf", json={"digits": "1" * 500}).status_code == 400
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "request_token"),
        ("GET", "lock"),
        ("POST", "conference_status"),
        ("POST", "participants"),
        ("POST", "events"),
        ("PUT", "lock"),
        ("DELETE", "participants"),
    ],
)
def test_wrong_method_is_405(client: httpx.Client, method: str, path: str) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    response = client.request(method, API + "meet.demo/" + path, headers=host.headers())
    assert response.status_code == 405
    assert response.json()["status"] == "failed"


def test_unknown_paths_and_functions_are_404(client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    assert host.post("teleport").status_code == 404
    assert host.post(f"participants/{host.uuid}/teleport").status_code == 404
    assert client.get("/nothing/here").status_code == 404
    assert client.get("/nothing/here").json()["status"] == "failed"
    assert client.get("/_sim/control").status_code == 405


def test_the_server_is_alive_after_all_that(client: httpx.Client) -> None:
    for body in (b"\x00" * 10, b"{}" * 1000):
        client.post("/_sim/control", content=body)
    assert client.get("/api/client/v2/status").status_code == 200
