"""Tokens against the simulated PBX: get, refresh, revoke, limits, User-Agent, secrets kept out."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from pextui.phone.yeastar.client import redact_url
from pextui.phone.yeastar.errors import AuthFailed, LimitReached, TokenExpired, Unreachable
from pextui.sim.pbx.server import PbxServer
from tests.phone.phone_helpers import CLIENT_ID, SECRET, client_for


async def test_every_request_carries_the_user_agent_and_the_token_in_the_query(
    pbx: PbxServer,
) -> None:
    async with client_for(pbx) as client:
        await client.query_calls()
    received = pbx.state()["received"]
    assert [r["path"].rsplit("/", 1)[-1] for r in received] == ["get_token", "query", "del_token"]
    assert {r["user_agent"] for r in received} == {"OpenAPI"}
    assert received[0]["body"] == {"username": CLIENT_ID, "password": "***"}
    assert received[1]["query"] == {"access_token": "***"}  # the token travels in the query
    assert pbx.state()["tokens"]["valid"] == 0  # del_token on the way out


async def test_a_request_without_the_user_agent_is_refused(pbx: PbxServer) -> None:
    async with httpx.AsyncClient(base_url=pbx.base_url) as http:
        answer = await http.post("/openapi/v1.0/get_token", json={}, headers={"User-Agent": "x"})
    assert answer.json() == {"errcode": 10005, "errmsg": "ACCESS DENIED"}


async def test_wrong_secret_is_a_clear_error_without_the_secret(pbx: PbxServer) -> None:
    wrong = "wrong-secret-Kq2v9"
    async with client_for(pbx, secret=wrong) as client:
        with pytest.raises(AuthFailed) as caught:
            await client.query_calls()
    message = str(caught.value)
    assert "FAILURE" in message and "username or password" in message
    assert wrong not in message and SECRET not in message
    assert caught.value.errcode == -1


async def test_the_token_is_refreshed_before_it_expires(make_pbx: Callable[..., PbxServer]) -> None:
    pbx = make_pbx(access_ttl=1.2)
    async with client_for(pbx) as client:  # refreshes with a sixth of the lifetime left
        first = await client.ensure_token()
        assert client.tokens is not None
        client.tokens.access_expires -= 1.1  # as if 1.1 of the 1.2 s had passed
        second = await client.ensure_token()
        assert second != first
        assert (client.tokens_obtained, client.tokens_refreshed) == (1, 1)
        await client.query_calls()
    received = [r["path"].rsplit("/", 1)[-1] for r in pbx.state()["received"]]
    assert received == ["get_token", "refresh_token", "query", "del_token"]


async def test_a_refused_refresh_falls_back_to_a_new_token(
    make_pbx: Callable[..., PbxServer],
) -> None:
    pbx = make_pbx(faults={"refuse-refresh": 1})
    async with client_for(pbx, refresh_margin=1e9) as client:  # always due for a refresh
        await client.ensure_token()
        await client.query_calls()
        assert client.tokens_obtained == 2  # the refresh was refused: get_token again
    received = [r["path"].rsplit("/", 1)[-1] for r in pbx.state()["received"]]
    assert received[:4] == ["get_token", "refresh_token", "get_token", "query"]


@pytest.mark.parametrize("how", ["expired", "revoked"])
async def test_an_expired_or_revoked_token_is_replaced_once(pbx: PbxServer, how: str) -> None:
    async with client_for(pbx) as client:
        token = await client.ensure_token()
        if how == "expired":
            pbx.run(pbx.pbx.tokens.expire_access)
        else:
            pbx.run(lambda: pbx.pbx.tokens.revoke(token))
        calls = await client.query_calls()  # 10004, a new token, the request once more
        assert calls and client.tokens is not None and client.tokens.access != token
    answers = [r["path"].rsplit("/", 1)[-1] for r in pbx.state()["received"]]
    renewal = ["refresh_token"] if how == "expired" else ["refresh_token", "get_token"]
    assert answers == ["get_token", "query", *renewal, "query", "del_token"]


async def test_del_token_runs_when_the_body_fails(pbx: PbxServer) -> None:
    with pytest.raises(RuntimeError):
        async with client_for(pbx) as client:
            await client.ensure_token()
            assert pbx.state()["tokens"]["valid"] == 1
            raise RuntimeError("the console crashed")
    assert pbx.state()["tokens"]["valid"] == 0
    assert pbx.state()["tokens"]["revoked"] == 1


async def test_the_token_limit_is_a_typed_error(make_pbx: Callable[..., PbxServer]) -> None:
    pbx = make_pbx(max_tokens=2)
    clients = [client_for(pbx) for _ in range(3)]
    try:
        await clients[0].ensure_token()
        await clients[1].ensure_token()
        with pytest.raises(LimitReached, match="MAX LIMITATION EXCEEDED"):
            await clients[2].ensure_token()
    finally:
        for client in clients:
            await client.aclose()
    assert pbx.state()["tokens"]["valid"] == 0


async def test_an_expired_token_is_not_sent_to_del_token(pbx: PbxServer) -> None:
    client = client_for(pbx)
    await client.ensure_token()
    assert client.tokens is not None
    client.tokens.access_expires = 0.0
    await client.aclose()
    assert [r["path"].rsplit("/", 1)[-1] for r in pbx.state()["received"]] == ["get_token"]


async def test_refresh_token_refused_for_an_unknown_token(pbx: PbxServer) -> None:
    async with client_for(pbx) as client:
        await client.ensure_token()
        assert client.tokens is not None
        client.tokens.refresh = "not-a-refresh-token"
        with pytest.raises(TokenExpired, match="TOKEN EXPIRED"):
            await client.refresh()


async def test_unreachable_pbx_is_a_typed_error(pbx: PbxServer) -> None:
    url = pbx.base_url
    pbx.stop()
    async with client_for(pbx) as client:
        assert client.base_url == url
        with pytest.raises(Unreachable, match="cannot reach the PBX"):
            await client.query_calls()


async def test_http_5xx_is_unreachable_with_the_status(make_pbx: Callable[..., PbxServer]) -> None:
    pbx = make_pbx(faults={"error-rate": 1})
    async with client_for(pbx) as client:
        with pytest.raises(Unreachable, match="HTTP 503"):
            await client.ensure_token()


async def test_no_token_in_any_log_record(pbx: PbxServer, caplog: pytest.LogCaptureFixture) -> None:
    from pextui.logs import redact

    caplog.set_level(logging.DEBUG)
    async with client_for(pbx) as client:
        token = await client.ensure_token()
        await client.query_calls()
    text = "\n".join(redact(record.getMessage()) for record in caplog.records)
    assert "call/query" in text  # something was logged (httpx logs the request line)
    assert token not in text and SECRET not in text
    assert redact_url("http://h:1/openapi/v1.0/x?access_token=abc") == "http://h:1/openapi/v1.0/x"
