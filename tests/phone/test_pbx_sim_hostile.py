"""Hostile requests to the simulated PBX: never a 500, nothing breaks the requests after them."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phone_helpers import CLIENT_ID, SECRET

from pextui.sim.pbx.server import PbxServer

UA = {"User-Agent": "OpenAPI"}
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
bodies = st.dictionaries(
    st.sampled_from(["type", "channel_id", "number", "dial_permission", "attended_operate",
                     "username", "password", "refresh_token", "x"]),
    values, max_size=6,
)  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, endpoint=st.sampled_from(["call/transfer", "get_token", "refresh_token",
                                              "call/query", "del_token", "nope"]))  # fmt: skip
def test_any_body_gets_an_errcode_never_a_500(
    pbx: PbxServer, body: dict[str, Any], endpoint: str
) -> None:
    with httpx.Client(base_url=pbx.base_url + "/openapi/v1.0/", headers=UA, timeout=5) as http:
        access = http.post("get_token", json={"username": CLIENT_ID, "password": SECRET}).json()
        for method in ("GET", "POST"):
            answer = http.request(method, endpoint, params={"access_token": access["access_token"]},
                                  content=json.dumps(body, allow_nan=True))  # fmt: skip
            assert answer.status_code == 200
            assert isinstance(answer.json()["errcode"], int)
        http.get("del_token", params={"access_token": access["access_token"]})
    with httpx.Client(base_url=pbx.base_url, timeout=5) as http:
        assert http.get("/_sim/pbx/state").status_code == 200


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=st.dictionaries(st.sampled_from(["caller", "hangup", "caller_state", "faults",
                                                "expire_tokens", "close_websockets"]), values,
                               max_size=3))  # fmt: skip
def test_control_refuses_nonsense_with_400(pbx: PbxServer, command: dict[str, Any]) -> None:
    with httpx.Client(base_url=pbx.base_url, timeout=5) as http:
        answer = http.post("/_sim/pbx/control", content=json.dumps(command, allow_nan=True))
        assert answer.status_code in (200, 400)
        http.post("/_sim/pbx/control", json={"faults": {}})
        assert http.get("/_sim/pbx/state").status_code == 200
