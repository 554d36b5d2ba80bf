"""The simulator's REST API on the wire: HMAC auth, Repeatability, api-version, bad input
(always a 4xx with ACS's error shape, never a 500), and the SDK as the judge."""

from __future__ import annotations

import base64
import json
import ssl
import uuid
from collections.abc import Iterator
from email.utils import formatdate
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from azure.communication.callautomation import PhoneNumberIdentifier
from azure.communication.callautomation.aio import CallAutomationClient
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pextui.sim.acs import auth
from pextui.sim.acs.server import SimWithAcs

VERSION = "2026-03-12"


@pytest.fixture(scope="module")
def api_sim() -> Iterator[SimWithAcs]:
    with SimWithAcs() as running:
        yield running


def signed(
    sim: SimWithAcs,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A request signed as the SDK signs it (with `key`, default the simulator's)."""
    host = urlsplit(sim.acs_endpoint).netloc
    date = formatdate(usegmt=True)
    body_hash = auth.content_hash(body)
    secret = base64.b64decode(key or sim.access_key)
    signature = auth.signature(secret, method, path, date, host, body_hash)
    all_headers = {
        "x-ms-date": date,
        "x-ms-content-sha256": body_hash,
        "Authorization": f"HMAC-SHA256 SignedHeaders={auth.SIGNED_HEADERS}&Signature={signature}",
        "content-type": "application/json",
        **(headers or {}),
    }
    context = ssl.create_default_context(cafile=sim.ca)
    with httpx.Client(verify=context, timeout=10) as http:
        return http.request(method, sim.acs_endpoint + path, content=body, headers=all_headers)


def repeat_headers(first_sent: bool = True) -> dict[str, str]:
    headers = {"Repeatability-Request-ID": str(uuid.uuid4())}
    if first_sent:
        headers["Repeatability-First-Sent"] = formatdate(usegmt=True)
    return headers


def path(call_id: str, action: str = "") -> str:
    return (
        f"/calling/callConnections/{call_id}{':' + action if action else ''}?api-version={VERSION}"
    )


async def test_a_wrong_access_key_is_a_401_the_sdk_reports(api_sim: SimWithAcs) -> None:
    wrong = auth.connection_string(api_sim.acs_endpoint, auth.new_access_key())
    client = CallAutomationClient.from_connection_string(
        wrong, connection_verify=api_sim.ca, retry_total=0
    )
    async with client:
        with pytest.raises(ClientAuthenticationError) as caught:
            await client.get_call_connection("x").transfer_call_to_participant(
                PhoneNumberIdentifier("+15550108001"), operation_context="ctx"
            )
    assert caught.value.status_code == 401
    assert api_sim.acs_state()["executed"].get("transferToParticipant", 0) == 0


async def test_the_sdk_sees_404_for_an_unknown_call(api_sim: SimWithAcs) -> None:
    client = CallAutomationClient.from_connection_string(
        api_sim.connection_string, connection_verify=api_sim.ca, retry_total=0
    )
    async with client:
        with pytest.raises(HttpResponseError) as caught:
            await client.get_call_connection("no-such-call").get_call_properties()
    assert caught.value.status_code == 404
    assert caught.value.error is not None and caught.value.error.code == "NotFound"


def test_unsigned_tampered_and_stale_requests_are_401(api_sim: SimWithAcs) -> None:
    context = ssl.create_default_context(cafile=api_sim.ca)
    with httpx.Client(verify=context) as http:
        plain = http.get(api_sim.acs_endpoint + path("x"))
    assert plain.status_code == 401
    assert plain.json() == {
        "error": {"code": "Denied", "message": "Denied by the resource provider."}
    }
    body = b'{"targetParticipant": {"rawId": "4:+15550108001"}}'
    good = signed(api_sim, "POST", path("x", "transferToParticipant"), body)
    assert good.status_code == 404  # signed fine; the call does not exist
    tampered_hash = {"x-ms-content-sha256": auth.content_hash(b"other")}
    bad = signed(api_sim, "POST", path("x", "transferToParticipant"), body, headers=tampered_hash)
    assert bad.status_code == 401
    stale = signed(api_sim, "GET", path("x"), headers={"x-ms-date": formatdate(0, usegmt=True)})
    assert stale.status_code == 401


def test_repeatability_request_id_needs_first_sent(api_sim: SimWithAcs) -> None:
    answer = signed(api_sim, "GET", path("x"), headers=repeat_headers(first_sent=False))
    assert answer.status_code == 400
    assert "Repeatability-First-Sent" in answer.json()["error"]["message"]
    not_uuid = {
        "Repeatability-Request-ID": "abc",
        "Repeatability-First-Sent": formatdate(usegmt=True),
    }
    assert signed(api_sim, "GET", path("x"), headers=not_uuid).status_code == 400
    bad_date = {
        "Repeatability-Request-ID": str(uuid.uuid4()),
        "Repeatability-First-Sent": "yesterday",
    }
    assert signed(api_sim, "GET", path("x"), headers=bad_date).status_code == 400


def test_same_request_id_same_answer_other_request_conflict(api_sim: SimWithAcs) -> None:
    headers = repeat_headers()
    body = b'{"targetParticipant": {"rawId": "4:+15550108001"}}'
    first = signed(api_sim, "POST", path("gone", "transferToParticipant"), body, headers=headers)
    again = signed(api_sim, "POST", path("gone", "transferToParticipant"), body, headers=headers)
    assert (first.status_code, first.content) == (again.status_code, again.content)
    other = signed(api_sim, "POST", path("other", "transferToParticipant"), body, headers=headers)
    assert other.status_code == 409


def test_api_version_is_required_and_known(api_sim: SimWithAcs) -> None:
    missing = signed(api_sim, "GET", "/calling/callConnections/x")
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "MissingApiVersionParameter"
    unknown = signed(api_sim, "GET", "/calling/callConnections/x?api-version=1999-01-01")
    assert unknown.json()["error"]["code"] == "UnsupportedApiVersion"


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        b'{"incomingCallContext": 5, "callbackUri": "https://a"}',
        b'{"incomingCallContext": "x", "callbackUri": "http://example.com/cb"}',
        b'{"incomingCallContext": "x", "callbackUri": "not a url"}',
        b'{"incomingCallContext": "x", "callbackUri": "https://[::1"}',
        b'{"incomingCallContext": "unknown", "callbackUri": "https://example.com/cb"}',
        b"\xff\xfe",
    ],
)
def test_bad_answers_are_400_or_404(api_sim: SimWithAcs, body: bytes) -> None:
    answer = signed(api_sim, "POST", f"/calling/callConnections:answer?api-version={VERSION}", body)
    assert answer.status_code in (400, 404)
    assert set(answer.json()["error"]) == {"code", "message"}


@pytest.mark.parametrize(
    "target",
    [None, 5, "x", {}, {"rawId": ""}, {"phoneNumber": {"value": "123"}}, {"rawId": "4:+1"}],
)
def test_bad_transfer_targets_are_400(api_sim: SimWithAcs, target: Any) -> None:
    body = json.dumps({"targetParticipant": target}).encode()
    answer = signed(api_sim, "POST", path("x", "transferToParticipant"), body)
    assert answer.status_code == 400


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT"]),
    tail=st.text(alphabet="abc:/%?=&-._~", max_size=30),
    body=st.binary(max_size=200),
)
def test_no_input_gets_a_500(api_sim: SimWithAcs, method: str, tail: str, body: bytes) -> None:
    answer = signed(api_sim, method, "/calling/callConnections" + tail, body)
    assert answer.status_code < 500
