"""Call Automation's signed JWT on every callback: the simulator signs what it sends and
serves its OpenID configuration and keys over loopback HTTPS; the console's receiver,
checking, delivers a callback only with a valid token. Bad tokens (sent by the simulator's
faults or posted by the test over loopback HTTP) get 401 and reach nobody."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from pextui.phone.acs.callback_auth import MAX_KEY_AGE, CallbackAuth, CallbackVerifier
from pextui.phone.acs.events import CallEvent
from pextui.phone.acs.receiver import CallbackReceiver
from pextui.sim.acs.faults import AcsFaults
from pextui.sim.acs.model import cloud_event
from pextui.sim.acs.server import SimWithAcs

CALL = "call-under-test"


class Clock:
    """The verifier's clock for its rate limit, moved by the test (never slept on)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Checked:
    sim: SimWithAcs
    receiver: CallbackReceiver
    verifier: CallbackVerifier
    clock: Clock
    got: list[CallEvent] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    def deliveries(self) -> dict[str, int]:
        return dict(self.sim.acs_state()["deliveries"])

    def fetched(self) -> dict[str, int]:
        return dict(self.sim.acs_state()["signing"]["fetches"])

    def faults(self, **values: float) -> None:
        self.sim.acs.faults.update({k.replace("_", "-"): v for k, v in values.items()})

    async def sim_sends(self, kind: str = "CallConnected") -> None:
        """The simulator delivers one callback event (signed as its faults say)."""
        data = {"callConnectionId": CALL, "serverCallId": "s1", "correlationId": "c1"}
        event = cloud_event(CALL, kind, data)
        uri = self.receiver.callback_url
        await asyncio.to_thread(
            self.sim.pexip.run_on_loop,
            lambda: self.sim.acs.deliver.callback(CALL, [(uri, event)]),
        )

    async def post(self, authorization: str | None) -> httpx.Response:
        """A callback posted by the test itself, with this Authorization header."""
        event = cloud_event(CALL, "CallConnected", {"callConnectionId": CALL})
        headers = {} if authorization is None else {"authorization": authorization}
        async with httpx.AsyncClient() as http:
            return await http.post(self.receiver.callback_url, json=[event], headers=headers)


async def until(check: Callable[[], Any], what: str, seconds: float = 15.0) -> Any:
    try:
        async with asyncio.timeout(seconds):
            while not (value := check()):  # noqa: ASYNC110 - the simulator's state, polled
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"still not true after {seconds} s: {what}") from None
    return value


@pytest.fixture
async def checked(sim: SimWithAcs) -> AsyncIterator[Checked]:
    clock = Clock()
    verifier = CallbackVerifier(
        CallbackAuth(sim.resource_id, sim.openid_config), ca=sim.ca, clock=clock
    )
    handle: list[Checked] = []
    receiver = CallbackReceiver(
        lambda event: None, lambda event: handle[0].got.append(event), verifier=verifier
    )
    checked = Checked(sim, receiver, verifier, clock)
    handle.append(checked)
    verifier.on_change = lambda: checked.changes.append(verifier.problem)
    await receiver.start()
    yield checked
    await receiver.stop()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(sim: SimWithAcs, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    body = {"iss": sim.acs_endpoint, "aud": sim.resource_id, "iat": now, "exp": now + 300}
    return {**body, **changes}


def unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"


def public_pem(sim: SimWithAcs) -> bytes:
    (jwk,) = sim.acs.signer.jwks()["keys"]
    key = RSAAlgorithm.from_jwk(jwk)
    assert isinstance(key, rsa.RSAPublicKey)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_bytes(serialization.Encoding.PEM, spki)


def forged(sim: SimWithAcs, case: str) -> str | None:
    """The Authorization header of one forged or broken callback."""
    kid = sim.acs.signer.kid
    if case == "no header":
        return None
    if case == "not bearer":
        return "Basic dXNlcjpwYXNz"
    if case == "bearer without token":
        return "Bearer"
    if case == "malformed":
        return "Bearer not-a.jwt"
    if case == "alg none":
        return f"Bearer {unsigned({'alg': 'none', 'typ': 'JWT', 'kid': kid}, claims(sim))}."
    if case == "hs256 with the public key":
        signing_input = unsigned({"alg": "HS256", "typ": "JWT", "kid": kid}, claims(sim))
        mac = hmac.new(public_pem(sim), signing_input.encode(), hashlib.sha256).digest()
        return f"Bearer {signing_input}.{b64(mac)}"
    if case == "tampered payload":
        valid = sim.acs.signer.authorization(AcsFaults())
        assert valid is not None
        header, _, signature = valid.removeprefix("Bearer ").split(".")
        payload = b64(json.dumps(claims(sim, aud=str(uuid.uuid4()))).encode())
        return f"Bearer {header}.{payload}.{signature}"
    if case == "wrong signature":
        valid = sim.acs.signer.authorization(AcsFaults())
        assert valid is not None
        head, _, signature = valid.rpartition(".")
        flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
        return f"{head}.{flipped}"
    if case == "no kid":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return f"Bearer {jwt.encode(claims(sim), key, algorithm='RS256')}"
    raise AssertionError(case)


async def test_a_callback_with_a_valid_token_is_delivered(checked: Checked) -> None:
    assert checked.verifier.problem == "" and checked.fetched() == {"openid": 1, "jwks": 1}
    await checked.sim_sends()
    await until(lambda: checked.deliveries().get("callbacks_delivered") == 1, "delivered")
    assert [e.kind for e in checked.got] == ["CallConnected"]
    assert checked.verifier.accepted == 1 and not checked.verifier.refused
    assert checked.sim.acs_state()["signing"]["signed"] == {"valid": 1}


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("token-missing-next", "no bearer token"),
        ("token-wrong-key-next", "bad signature"),
        ("token-expired-next", "expired"),
        ("token-wrong-audience-next", "wrong audience"),
        ("token-wrong-issuer-next", "wrong issuer"),
    ],
)
async def test_the_simulators_bad_tokens_are_401_and_reach_nobody(
    checked: Checked, fault: str, reason: str
) -> None:
    checked.faults(**{fault: 1})
    await checked.sim_sends()
    await until(lambda: checked.deliveries().get("callbacks_refused") == 1, "refused")
    assert checked.got == [] and checked.receiver.counts.get("callbacks") is None
    assert checked.receiver.counts["unauthorized"] == 1
    assert dict(checked.verifier.refused) == {reason: 1}
    assert checked.sim.acs_state()["signing"]["signed"] == {fault: 1}
    await checked.sim_sends()  # the fault has passed: the next one gets through
    await until(lambda: checked.deliveries().get("callbacks_delivered") == 1, "the next one")
    assert len(checked.got) == 1


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("no header", "no bearer token"),
        ("not bearer", "malformed Authorization header"),
        ("bearer without token", "malformed Authorization header"),
        ("malformed", "malformed token"),
        ("alg none", "algorithm not allowed"),
        ("hs256 with the public key", "algorithm not allowed"),
        ("tampered payload", "bad signature"),
        ("wrong signature", "bad signature"),
        ("no kid", "no key id"),
    ],
)
async def test_forged_tokens_are_401_and_reach_nobody(
    checked: Checked, case: str, reason: str
) -> None:
    answer = await checked.post(forged(checked.sim, case))
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert checked.got == [] and dict(checked.verifier.refused) == {reason: 1}
    valid = checked.sim.acs.signer.authorization(AcsFaults())
    assert (await checked.post(valid)).status_code == 200  # the same request, signed
    assert len(checked.got) == 1


async def test_a_new_signing_key_is_fetched_once_and_accepted(checked: Checked) -> None:
    old_kid = checked.sim.acs.signer.kid
    checked.faults(rotate_key_next=1)
    await checked.sim_sends()
    await until(lambda: checked.deliveries().get("callbacks_delivered") == 1, "delivered")
    assert checked.sim.acs.signer.kid != old_kid
    assert checked.fetched() == {"openid": 2, "jwks": 2}  # one refetch for the new kid
    assert len(checked.got) == 1 and not checked.verifier.refused
    await checked.sim_sends()  # the new key is known now: no more fetching
    await until(lambda: checked.deliveries().get("callbacks_delivered") == 2, "again")
    assert checked.fetched() == {"openid": 2, "jwks": 2}


async def test_a_flood_of_unknown_kids_fetches_the_keys_at_most_once(checked: Checked) -> None:
    stray = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def token() -> str:
        kid = uuid.uuid4().hex
        return f"Bearer {jwt.encode(claims(checked.sim), stray, 'RS256', headers={'kid': kid})}"

    answers = await asyncio.gather(*(checked.post(token()) for _ in range(15)))
    answers += [await checked.post(token()) for _ in range(15)]
    assert {a.status_code for a in answers} == {401}
    assert checked.fetched() == {"openid": 2, "jwks": 2}  # start + one refetch, not 30
    assert checked.verifier.refused == {"unknown signing key": 30}
    assert checked.got == []


async def keys_down_then_back(checked: Checked, caplog: pytest.LogCaptureFixture) -> None:
    """Callbacks are refused while the keys cannot be had, with one warning; then accepted."""
    await checked.sim_sends()
    await until(lambda: checked.deliveries().get("callbacks_undeliverable") == 1, "given up")
    assert checked.got == [] and checked.verifier.refused["signing keys unavailable"] >= 1
    assert checked.verifier.problem and len(checked.changes) == 1
    warnings = [r for r in caplog.records if "signing keys:" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    checked.faults(keys_down=0)
    checked.clock.now += checked.verifier.refetch_interval  # the rate limit lets one through
    await checked.sim_sends()
    await until(lambda: checked.deliveries().get("callbacks_delivered") == 1, "accepted again")
    assert [e.kind for e in checked.got] == ["CallConnected"]
    assert (
        checked.verifier.problem == "" and checked.changes[-1] == "" and len(checked.changes) == 2
    )
    assert len([r for r in caplog.records if "signing keys:" in r.getMessage()]) == 1


async def test_keys_unreachable_at_start_refuse_callbacks_until_they_are_back(
    sim: SimWithAcs, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sim.acs.faults.update({"keys-down": 1})
    clock = Clock()
    verifier = CallbackVerifier(
        CallbackAuth(sim.resource_id, sim.openid_config), ca=sim.ca, clock=clock
    )
    got: list[CallEvent] = []
    receiver = CallbackReceiver(lambda e: None, got.append, verifier=verifier)
    checked = Checked(sim, receiver, verifier, clock, got)
    verifier.on_change = lambda: checked.changes.append(verifier.problem)
    await receiver.start()  # no crash: the problem is reported
    try:
        assert verifier.problem.startswith("callbacks refused: cannot fetch")
        assert "HTTP 503" in verifier.problem and checked.changes == [verifier.problem]
        await keys_down_then_back(checked, caplog)
    finally:
        await receiver.stop()


async def test_keys_unreachable_later_refuse_a_new_key_until_they_are_back(
    checked: Checked, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    checked.faults(keys_down=1, rotate_key_next=1)  # a new kid while the keys cannot be had
    await keys_down_then_back(checked, caplog)
    assert checked.changes[0].startswith("cannot refresh Call Automation's signing keys")


async def refused_for_want_of_keys(
    sim: SimWithAcs, verifier: CallbackVerifier, problem: str
) -> None:
    """The receiver starts, names the problem, and answers a valid callback 503 (not a crash)."""
    receiver = CallbackReceiver(lambda e: None, lambda e: None, verifier=verifier)
    await receiver.start()
    try:
        assert problem in verifier.problem
        valid = sim.acs.signer.authorization(AcsFaults()) or ""
        async with httpx.AsyncClient() as http:
            answer = await http.post(
                receiver.callback_url, json=[], headers={"authorization": valid}
            )
        assert answer.status_code == 503
    finally:
        await receiver.stop()


async def test_an_unreachable_key_endpoint_is_a_problem_not_a_crash(sim: SimWithAcs) -> None:
    settings = CallbackAuth(sim.resource_id, "https://127.0.0.1:9/calling/.well-known/x")
    verifier = CallbackVerifier(settings, ca=sim.ca)
    await refused_for_want_of_keys(sim, verifier, "unreachable (ConnectError)")


async def test_tokens_never_reach_the_log(
    checked: Checked, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    sent: list[str] = []
    signer = checked.sim.acs.signer
    original = signer.authorization

    def spy(faults: AcsFaults, now: float | None = None) -> str | None:
        value = original(faults, now)
        sent.append(value or "")
        return value

    monkeypatch.setattr(signer, "authorization", spy)
    checked.faults(token_expired_next=1, token_wrong_key_next=1, token_wrong_audience_next=1)
    for _ in range(4):
        await checked.sim_sends()
    await until(lambda: sum(checked.deliveries().values()) >= 4, "all four answered")
    posted = [forged(checked.sim, c) or "" for c in ("alg none", "malformed", "no kid")]
    for header in posted:
        await checked.post(header)
    assert len(checked.got) == 1 and sum(checked.verifier.refused.values()) == 6
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "refused (401)" in logged  # the refusals are logged ...
    for header in sent + posted:
        for part in header.removeprefix("Bearer ").split("."):
            if len(part) >= 8:
                assert part not in logged  # ... without any part of any token


async def test_the_sdk_flow_works_with_every_callback_checked(desk_factory: Any) -> None:
    """Microsoft's SDK answers and transfers; every callback of it arrives signed and checked."""
    acs = await desk_factory(checked=True)
    verifier = acs.receiver.verifier
    assert verifier is not None and verifier.problem == ""
    call = await acs.ring_and_answer("+4930123456", "Erika Mustermann")
    transfer = await acs.desk.transfer(call.id, "+15550108001")  # meet.demo
    await acs.until(lambda: transfer.state == "left" and call.state == "ended")
    await acs.until(lambda: acs.desk.counts.get("CallDisconnected") == 1)
    assert verifier.accepted == 4 and not verifier.refused  # Connected, Participants, ...
    assert acs.state()["signing"]["signed"] == {"valid": 4}
    assert acs.receiver.counts["callbacks"] == 4 and "unauthorized" not in acs.receiver.counts
    acs.faults(token_wrong_key_next=1)  # the next call's CallConnected comes forged ...
    server_call_id = await asyncio.to_thread(acs.sim.ring, "+4930999888", "Kim")
    await acs.until(lambda: acs.desk.book.get("acs", server_call_id))
    await acs.desk.answer(server_call_id)
    await acs.until(lambda: acs.receiver.counts.get("unauthorized") == 1)
    await acs.until(lambda: verifier.accepted == 5)  # ... its ParticipantsUpdated is not
    assert verifier.refused == {"bad signature": 1}
    assert acs.desk.counts["CallConnected"] == 1  # the forged one never reached the desk


async def test_keys_not_refreshed_for_a_day_are_no_longer_trusted(checked: Checked) -> None:
    checked.faults(keys_down=1)
    valid = checked.sim.acs.signer.authorization(AcsFaults())
    assert (await checked.post(valid)).status_code == 200  # fetched at start: still trusted
    checked.clock.now += MAX_KEY_AGE + 1
    assert (await checked.post(valid)).status_code == 503  # a day old, refresh failing
    assert checked.verifier.refused == {"signing keys unavailable": 1}
    checked.faults(keys_down=0)
    checked.clock.now += checked.verifier.refetch_interval
    assert (await checked.post(valid)).status_code == 200  # fresh keys: trusted again
    assert len(checked.got) == 2


async def test_an_unreadable_ca_file_is_a_problem_not_a_crash(sim: SimWithAcs) -> None:
    settings = CallbackAuth(sim.resource_id, sim.openid_config)
    verifier = CallbackVerifier(settings, ca="/nonexistent/ca.pem")
    await refused_for_want_of_keys(sim, verifier, "cannot read the CA file (FileNotFoundError)")
