"""The joined session: token refresh and re-request, refer, disconnect, release on every exit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx

from pextui.protocol.client import NO_PIN, connect
from pextui.protocol.models import DisconnectEvent, ParticipantSyncEndEvent, ReferEvent
from pextui.protocol.session import TOKEN_LOST, USER_DISCONNECT, open_session
from pextui.protocol.stream import (
    Connected,
    Ended,
    Rejoined,
    TokenRecovered,
    TokenTrouble,
    Transferred,
)
from pextui.sim.server import SimServer
from tests.protocol.protocol_helpers import (
    Collector,
    RecordingTransport,
    control,
    host_params,
    wait_until,
)


async def test_token_is_refreshed_at_a_third_of_expires(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(token_expires=3)
    async with await connect(host_params(sim)) as session:
        assert session.expires_s == 3
        # Period 1 s: after three refreshes the first token's 3 s have run out.
        await wait_until(lambda: session.refreshes >= 3, 6.0, "three refreshes")
        await session.lock()
        assert sim.conference_state("meet.demo")["status"]["locked"] is True
        assert session.rejoins == 0


async def test_refused_refresh_requests_a_new_token_with_the_pin(
    make_sim: Callable[..., SimServer],
) -> None:
    sim = make_sim(token_expires=3, faults={"refuse-refresh": 1})
    async with await connect(host_params(sim)) as session:
        collector = Collector(session)
        first_uuid = session.participant_uuid
        await wait_until(lambda: session.rejoins >= 1, 4.0, "a re-request")
        assert session.participant_uuid != first_uuid
        await wait_until(lambda: bool(collector.of(Rejoined)), 2.0, "the Rejoined item")
        assert collector.of(Rejoined)[0].participant_uuid != first_uuid
        await wait_until(lambda: bool(collector.of(TokenRecovered)), 2.0, "TokenRecovered")
        token_items = [
            item
            for item in collector.items
            if isinstance(item, TokenTrouble | Rejoined | TokenRecovered)
        ]
        assert token_items[:3] == [
            TokenTrouble("token refresh refused: Invalid token", rejoining=True),
            collector.of(Rejoined)[0],
            TokenRecovered(rejoined=True),
        ]
        assert session.role == "HOST"  # the PIN held in memory was used again
        await session.mute_guests()
        assert sim.conference_state("meet.demo")["status"]["guests_muted"] is True
        await collector.stop()


async def test_refresh_token_event_refreshes_at_once(sim: SimServer) -> None:
    async with await connect(host_params(sim)) as session:
        collector = Collector(session)
        await wait_until(lambda: bool(collector.of(ParticipantSyncEndEvent)), 3.0, "the sync")
        assert session.refreshes == 0  # the 40 s period has not come
        conference = sim.node.conferences["meet.demo"]
        uuid = session.participant_uuid
        sim.run_on_loop(lambda: conference.emit("refresh_token", b"{}", to=uuid))
        await wait_until(lambda: session.refreshes == 1, 3.0, "the refresh")
        assert "refresh_token" in collector.names()
        await collector.stop()


async def test_session_outlives_an_outage_longer_than_its_token(
    make_sim: Callable[..., SimServer],
) -> None:
    """A node failing for longer than the token's lifetime: keep trying, rejoin when back."""
    sim = make_sim(token_expires=3)
    session = await connect(host_params(sim))
    session.validity_grace_s = 0.0
    collector = Collector(session)

    def rejoin_attempts() -> list[TokenTrouble]:
        return [t for t in collector.of(TokenTrouble) if t.rejoining]

    await wait_until(lambda: session.stream_connections == 1, 3.0, "the stream")
    # An outage: the stream is cut and every request fails (so no server `disconnect`).
    await control(sim, {"faults": {"error-rate": 1.0, "drop-stream-every": 0.1}})
    outage_start = time.monotonic()
    await wait_until(
        lambda: (
            time.monotonic() - outage_start > session.expires_s + 2 and len(rejoin_attempts()) >= 2
        ),
        15.0,
        "an outage longer than the token, with attempts to request a new one",
    )
    assert collector.ended is None and not session.closed
    assert all(attempt.reason for attempt in rejoin_attempts())
    await control(sim, {"faults": {}})
    await wait_until(
        lambda: any(r.rejoined for r in collector.of(TokenRecovered)), 15.0, "the rejoin"
    )
    await wait_until(lambda: session.stream_connections >= 2, 10.0, "the stream again")
    assert collector.ended is None and not session.closed
    await session.lock()
    assert sim.conference_state("meet.demo")["status"]["locked"] is True
    await session.close()
    await collector.stop()
    assert sim.state()["tokens"] == 0


async def test_refused_rejoin_ends_the_session(make_sim: Callable[..., SimServer]) -> None:
    """Transferred into a PIN-protected room (its PIN unknown to us), refresh refused: the
    node refuses a new token without the PIN, so the session ends with the reason."""
    sim = make_sim(token_expires=3)
    session = await connect(host_params(sim))
    collector = Collector(session)
    await wait_until(lambda: session.stream_connections == 1, 3.0, "the stream")
    await session.transfer(session.participant_uuid, "meet.board", "host", "1234")
    await wait_until(lambda: bool(collector.of(Transferred)), 5.0, "the transfer")
    await control(sim, {"faults": {"refuse-refresh": 1}})
    await wait_until(lambda: collector.ended is not None, 15.0, "the session to end")
    assert collector.ended is not None
    assert collector.ended.reason == TOKEN_LOST
    assert session.closed
    await control(sim, {"faults": {}})
    await session.close()


async def test_disconnect_event_ends_the_session_with_its_reason(sim: SimServer) -> None:
    session = await connect(host_params(sim, pin=NO_PIN, display_name="Victim"))
    collector = Collector(session)
    async with await connect(host_params(sim)) as host:
        await wait_until(lambda: session.stream_connections == 1, 3.0, "the stream")
        await host.disconnect_participant(session.participant_uuid)
        await wait_until(lambda: collector.ended is not None, 3.0, "the end")
    disconnects = collector.of(DisconnectEvent)
    assert len(disconnects) == 1
    assert collector.ended is not None
    assert collector.ended.reason == disconnects[0].reason != ""
    assert collector.names()[-2:] == ["disconnect", "stream.ended"]
    assert session.closed
    await session.close()
    assert collector.task.done()


async def test_follows_a_refer_to_our_own_participant(sim: SimServer) -> None:
    async with await connect(host_params(sim)) as session:
        collector = Collector(session)
        await wait_until(lambda: session.stream_connections == 1, 3.0, "the stream")
        await session.transfer(session.participant_uuid, "meet.board", "host", "1234")
        await wait_until(lambda: bool(collector.of(Transferred)), 3.0, "the transfer")
        moved = collector.of(Transferred)[0]
        assert moved.alias == "meet.board" == session.alias
        assert moved.role == "HOST"
        assert collector.of(ReferEvent)
        assert sim.participant_state("meet.board", session.participant_uuid) is not None
        # The stream moved too: a change in meet.board reaches us.
        await wait_until(lambda: session.stream_connections == 2, 3.0, "the new stream")
        await session.lock()
        await wait_until(lambda: collector.store.status.locked, 3.0, "meet.board's status")
        assert sim.conference_state("meet.board")["status"]["locked"] is True
        await collector.stop()


async def test_close_releases_the_token_and_ends_the_stream(sim: SimServer) -> None:
    session = await connect(host_params(sim))
    collector = Collector(session)
    await wait_until(lambda: bool(collector.of(Connected)), 3.0, "the stream")
    assert sim.state()["tokens"] == 1
    await session.close()
    await asyncio.wait_for(collector.task, 3.0)
    assert collector.ended is not None and collector.ended.reason == USER_DISCONNECT
    assert sim.state()["tokens"] == 0
    await session.close()  # twice is fine


async def test_cancellation_releases_the_token(sim: SimServer) -> None:
    entered = asyncio.Event()

    async def work() -> None:
        async with await connect(host_params(sim)) as session:
            entered.set()
            async for _ in session.events():
                pass

    task = asyncio.create_task(work())
    await asyncio.wait_for(entered.wait(), 3.0)
    assert sim.state()["tokens"] == 1
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert sim.state()["tokens"] == 0


async def test_error_escaping_the_block_releases_the_token(sim: SimServer) -> None:
    try:
        async with await connect(host_params(sim)):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert sim.state()["tokens"] == 0
    assert isinstance(Ended("x", "#pex117").payload(), dict)


async def release_behind_our_back(sim: SimServer, token: str) -> None:
    """The node forgets our token (as after a node restart or an expiry)."""
    url = f"{sim.base_url}/api/client/v2/conferences/meet.demo/release_token"
    async with httpx.AsyncClient(timeout=5.0) as http:
        response = await http.post(url, headers={"token": token}, json={})
        assert response.status_code == 200


async def test_action_with_a_forgotten_token_rejoins_and_retries(sim: SimServer) -> None:
    async with await connect(host_params(sim)) as session:
        first = session.participant_uuid
        await release_behind_our_back(sim, session._token)
        await session.lock()  # 403 Invalid token -> refresh refused -> new token -> retried
        assert session.rejoins == 1
        assert session.participant_uuid != first
        assert sim.conference_state("meet.demo")["status"]["locked"] is True


async def test_stream_with_a_forgotten_token_rejoins(sim: SimServer) -> None:
    async with await connect(host_params(sim)) as session:
        collector = Collector(session)
        await wait_until(lambda: session.stream_connections == 1, 3.0, "the stream")
        await release_behind_our_back(sim, session._token)
        await wait_until(lambda: bool(collector.of(Rejoined)), 5.0, "a rejoin")
        await wait_until(lambda: session.stream_connections >= 2, 5.0, "the stream back")
        uuid = session.participant_uuid
        await wait_until(lambda: uuid in collector.store.roster, 3.0, "ourselves in the roster")
        assert collector.ended is None
        await collector.stop()


async def test_concurrent_closes_release_once(sim: SimServer) -> None:
    transport = RecordingTransport()
    session = await open_session(host_params(sim), transport=transport)
    await asyncio.gather(session.close(), session.close("Second"), session.close())
    assert transport.paths.count("/api/client/v2/conferences/meet.demo/release_token") == 1
    assert sim.state()["tokens"] == 0
    assert session.end is not None and session.end.reason == USER_DISCONNECT


async def test_role_change_is_seen_at_the_next_refresh(make_sim: Callable[..., SimServer]) -> None:
    sim = make_sim(token_expires=3)
    async with await connect(host_params(sim)) as session, await connect(host_params(sim)) as other:
        assert session.role == "HOST"
        await other.set_role(session.participant_uuid, "guest")
        refreshes = session.refreshes
        await wait_until(lambda: session.refreshes > refreshes, 3.0, "a refresh")
        assert session.role == "GUEST" and not session.is_host
