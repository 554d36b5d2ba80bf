"""The simulated PBX's HTTP surface, request by request (raw httpx over loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pextui.sim.pbx.server import PbxServer
from pextui.sim.server import SimServer
from tests.phone.phone_helpers import CLIENT_ID, SECRET, channel_of, first_call

UA = {"User-Agent": "OpenAPI"}


@pytest.fixture
def http(pbx: PbxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=pbx.base_url + "/openapi/v1.0/", headers=UA, timeout=5) as client:
        yield client


def token(http: httpx.Client) -> dict[str, Any]:
    answer: dict[str, Any] = http.post(
        "get_token", json={"username": CLIENT_ID, "password": SECRET}
    ).json()
    return answer


def transfer(http: httpx.Client, access: str, **body: Any) -> dict[str, Any]:
    answer: dict[str, Any] = http.post(
        "call/transfer", params={"access_token": access}, json=body
    ).json()
    return answer


def test_get_token_answers_the_documented_fields(http: httpx.Client) -> None:
    answer = token(http)
    assert answer["errcode"] == 0 and answer["errmsg"] == "SUCCESS"
    assert answer["access_token_expire_time"] == 1800
    assert answer["refresh_token_expire_time"] == 86400
    assert len(answer["access_token"]) == 32 and len(answer["refresh_token"]) == 32


def test_refresh_renews_both_tokens_and_retires_the_old_pair(http: httpx.Client) -> None:
    first = token(http)
    renewed = http.post("refresh_token", json={"refresh_token": first["refresh_token"]}).json()
    assert renewed["errcode"] == 0 and renewed["access_token"] != first["access_token"]
    old = http.get("call/query", params={"access_token": first["access_token"]}).json()
    assert old == {"errcode": 10004, "errmsg": "TOKEN EXPIRED"}
    again = http.post("refresh_token", json={"refresh_token": first["refresh_token"]}).json()
    assert again["errcode"] == 10004
    assert http.post("refresh_token", json={}).json()["errcode"] == 40002


def test_del_token_revokes(http: httpx.Client) -> None:
    access = token(http)["access_token"]
    assert http.get("del_token", params={"access_token": access}).json()["errcode"] == 0
    assert http.get("del_token", params={"access_token": access}).json()["errcode"] == 10004


def test_call_query_lists_calls_and_filters_by_call_id(http: httpx.Client, pbx: PbxServer) -> None:
    access = token(http)["access_token"]
    call = first_call(pbx)
    answer = http.get("call/query", params={"access_token": access}).json()
    assert answer["errcode"] == 0 and answer["data"] == [call]
    one = http.get("call/query", params={"access_token": access, "call_id": "nope"}).json()
    assert one["data"] == []


@pytest.mark.parametrize(
    ("method", "path", "content", "errcode"),
    [
        ("GET", "get_token", b"", 10001),  # get_token is POST only
        ("POST", "no/such/interface", b"{}", 10001),
        ("POST", "get_token", b"{oops", 40001),
        ("POST", "get_token", b"[1]", 40001),
        ("POST", "get_token", b"x" * 70_000, 40001),
    ],
)
def test_bad_requests_get_errcodes(
    http: httpx.Client, method: str, path: str, content: bytes, errcode: int
) -> None:
    answer = http.request(method, path, content=content)
    assert answer.status_code == 200 and answer.json()["errcode"] == errcode


@pytest.mark.parametrize(
    ("body", "errcode", "field"),
    [
        ({"type": "sideways", "channel_id": "x"}, 40002, "type"),
        ({"type": "blind"}, 40002, "channel_id"),
        ({"type": "blind", "channel_id": "x", "dial_permission": "2005"}, 40002, "number"),
        ({"type": "blind", "channel_id": "PJSIP/none", "number": "8001", "dial_permission": "2005"},
         60001, "channel_id"),
        ({"type": "attended", "channel_id": "x", "attended_operate": "juggle"}, 40002,
         "attended_operate"),
        ({"type": "attended", "channel_id": "x", "attended_operate": "complete"}, 60001,
         "channel_id"),
    ],
)  # fmt: skip
def test_transfer_parameter_errors(
    http: httpx.Client, body: dict[str, Any], errcode: int, field: str
) -> None:
    answer = transfer(http, token(http)["access_token"], **body)
    assert answer["errcode"] == errcode
    assert answer["invalid_param_list"][0]["field"] == field


def test_transfer_needs_a_known_number_and_permission(http: httpx.Client, pbx: PbxServer) -> None:
    access = token(http)["access_token"]
    caller = channel_of(first_call(pbx), "inbound")
    base = {"type": "blind", "channel_id": caller}
    assert transfer(http, access, **base, number="8001")["errcode"] == 40002  # no permission
    nowhere = transfer(http, access, **base, number="4711", dial_permission="2005")
    assert nowhere["invalid_param_list"][0] == {
        "field": "number", "validation_type": "invalid", "value": "4711"
    }  # fmt: skip
    assert transfer(http, access, **base, number="8001", dial_permission="9999")["errcode"] == 40002
    denied = transfer(http, access, **base, number="8001", dial_permission="2000")
    assert (denied["errcode"], denied["errmsg"]) == (10005, "ACCESS DENIED")
    assert transfer(http, "bad-token", **base, number="8001")["errcode"] == 10004


def test_attended_needs_the_transferor_and_only_one_consult(
    http: httpx.Client, pbx: PbxServer
) -> None:
    access = token(http)["access_token"]
    call = first_call(pbx)
    caller, operator = channel_of(call, "inbound"), channel_of(call, "extension")
    step = {"type": "attended", "number": "8001", "dial_permission": "2005"}
    assert transfer(http, access, **step, channel_id=caller)["errcode"] == 40002  # not a transferor
    assert transfer(http, access, **step, channel_id=operator)["errcode"] == 0
    assert transfer(http, access, **step, channel_id=operator)["errcode"] == 40002  # one at a time


def test_control_and_state(pbx: PbxServer, sim: SimServer) -> None:
    with httpx.Client(base_url=pbx.base_url, timeout=5) as http:
        added = http.post(
            "/_sim/pbx/control", json={"caller": {"number": "+1", "state": "on_hold"}}
        )
        assert added.status_code == 200
        call = added.json()["call"]
        assert call["members"][0]["inbound"]["member_status"] == "HOLD"
        channel = call["members"][0]["inbound"]["channel_id"]
        assert http.post("/_sim/pbx/control", json={"hangup": channel}).json() == {"hung_up": True}
        bad = http.post("/_sim/pbx/control", json={"faults": {"error-rate": 7}})
        assert bad.status_code == 400 and "fraction" in bad.json()["error"]
        assert http.post("/_sim/pbx/control", json={"caller": {"number": "+2", "state": "x"}}
                         ).status_code == 400  # fmt: skip
        state = http.get("/_sim/pbx/state").json()
        assert len(state["calls"]) == 1 and state["faults"] == {}
