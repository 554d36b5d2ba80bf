"""request_token (every 403 shape), refresh, release, expiry, the token check."""

from __future__ import annotations

import httpx

from pextui.sim.config import VmrConfig
from pextui.sim.server import SimServer
from tests.sim.sim_helpers import API, fast_config, join, request_token, wait_until


def test_host_pin_only_room_asks_for_a_pin_with_version(client: httpx.Client) -> None:
    response = request_token(client, "meet.demo")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/json")
    result = response.json()["result"]
    assert result["pin"] == "required"
    assert result["guest_pin"] == "none"
    assert isinstance(result["version"], dict)


def test_room_with_both_pins_requires_both(client: httpx.Client) -> None:
    result = request_token(client, "meet.board").json()["result"]
    assert (result["pin"], result["guest_pin"]) == ("required", "required")
    assert "version" in result


def test_wrong_pin_is_the_invalid_pin_string(client: httpx.Client) -> None:
    response = request_token(client, "meet.board", pin="9999")
    assert response.status_code == 403
    assert response.json()["result"] == "Invalid PIN"
    # 'none' is a wrong PIN where guests need one
    assert request_token(client, "meet.board", pin="none").json()["result"] == "Invalid PIN"


def test_pins_select_the_role(client: httpx.Client) -> None:
    host = join(client, "meet.board", "Hanna", pin="1234")
    guest = join(client, "meet.board", "Gus", pin="5678")
    pinless = join(client, "meet.demo", "Pia", pin="none")
    assert host.result["role"] == "HOST"
    assert guest.result["role"] == "GUEST"
    assert pinless.result["role"] == "GUEST"
    assert host.participant()["role"] == "chair"
    assert host.participant(guest.uuid)["role"] == "guest"


def test_token_result_has_the_schema_fields(client: httpx.Client) -> None:
    result = join(client, "meet.demo", "Hanna", pin="1234").result
    assert isinstance(result["expires"], str) and int(result["expires"]) == 120
    for key in ("token", "participant_uuid", "display_name", "role", "current_service_type"):
        assert isinstance(result[key], str)
    assert isinstance(result["version"], dict)
    assert result["current_service_type"] == "conference"
    assert result["display_name"] == "Hanna"


def test_auditorium_joins_are_lectures(client: httpx.Client) -> None:
    guest = join(client, "townhall", "Viewer", pin="none")
    assert guest.result["service_type"] == "lecture"
    assert guest.participant()["service_type"] == "lecture"


def test_reception_asks_for_the_extension_and_routes(client: httpx.Client) -> None:
    response = request_token(client, "reception")
    assert response.status_code == 403
    assert response.json()["result"] == {
        "conference_extension": "required",
        "conference_extension_type": "standard",
    }
    # then the target's PIN rules apply
    needs_pin = request_token(client, "reception", conference_extension="meet.board")
    assert needs_pin.json()["result"]["pin"] == "required"
    joined = join(client, "reception", "Via", pin="5678", conference_extension="meet.board")
    assert joined.result["role"] == "GUEST"
    # the token works under the reception alias and under the target alias
    assert joined.get("conference_status").status_code == 200
    assert (
        client.get(API + "meet.board/conference_status", headers=joined.headers()).status_code
        == 200
    )
    unknown = request_token(client, "reception", conference_extension="meet.nowhere")
    assert unknown.status_code == 404


def test_unknown_alias_is_404(client: httpx.Client) -> None:
    response = request_token(client, "meet.nowhere")
    assert response.status_code == 404
    assert response.json() == {"status": "failed", "result": "Neither conference nor gateway found"}


def test_room_without_pins_makes_everyone_host() -> None:
    config = fast_config(vmrs=[VmrConfig.parse("meet.open")])
    with SimServer(config) as sim, httpx.Client(base_url=sim.base_url) as client:
        assert join(client, "meet.open", "Anyone").result["role"] == "HOST"


def test_sso_room_gives_the_idp_then_redirect_shapes() -> None:
    config = fast_config(vmrs=[VmrConfig("meet.sso", host_pin="1234", sso=True)])
    with SimServer(config) as sim, httpx.Client(base_url=sim.base_url) as client:
        first = request_token(client, "meet.sso").json()["result"]
        assert isinstance(first["idp"], list) and "version" in first
        idp = first["idp"][0]["uuid"]
        second = request_token(client, "meet.sso", chosen_idp=idp).json()["result"]
        assert second["redirect_url"] and second["redirect_idp"]["uuid"] == idp
        joined = join(client, "meet.sso", "Sam", pin="1234", chosen_idp=idp, sso_token="abc")
        assert joined.result["role"] == "HOST"


def test_missing_display_name_is_400(client: httpx.Client) -> None:
    response = client.post(API + "meet.demo/request_token", json={}, headers={"pin": "1234"})
    assert response.status_code == 400
    assert "display_name" in response.json()["result"]


def test_every_request_needs_a_valid_token(client: httpx.Client) -> None:
    for headers in ({}, {"token": "forged"}):
        response = client.get(API + "meet.demo/conference_status", headers=headers)
        assert response.status_code == 403
        assert response.json()["result"] == "Invalid token"
    # a token of one conference does not work in another
    joined = join(client, "meet.demo", "Hanna", pin="1234")
    other = client.get(API + "meet.board/conference_status", headers=joined.headers())
    assert other.status_code == 403


def test_refresh_gives_a_new_token_and_the_old_stops_shortly_after(
    sim: SimServer, client: httpx.Client
) -> None:
    joined = join(client, "meet.demo", "Hanna", pin="1234")
    old = joined.token
    result = joined.act("refresh_token")
    assert isinstance(result["expires"], str) and result["token"] != old
    assert result["role"] == "HOST"
    # the old token still works during the grace period (1 s here), then not
    assert joined.get("conference_status").status_code == 200
    wait_until(lambda: joined.get("conference_status").status_code == 403, 3, "old token dies")
    joined.token = result["token"]
    assert joined.get("conference_status").status_code == 200


def test_release_removes_the_participant(sim: SimServer, client: httpx.Client) -> None:
    host = join(client, "meet.demo", "Hanna", pin="1234")
    guest = join(client, "meet.demo", "Gus", pin="none")
    assert guest.act("release_token", json={"reason": "User initiated disconnect"}) is True
    roster = host.get("participants").json()["result"]
    assert guest.uuid not in [p["uuid"] for p in roster]
    assert guest.get("conference_status").status_code == 403


def test_release_accepts_the_query_token_like_a_beacon(client: httpx.Client) -> None:
    guest = join(client, "meet.demo", "Gus", pin="none")
    response = client.post(
        API + "meet.demo/release_token",
        params={"token": guest.token},
        content=b'{"reason":"Browser closed"}',
    )
    assert response.status_code == 200
    assert guest.get("conference_status").status_code == 403


def test_token_expiry_removes_the_participant() -> None:
    with (
        SimServer(fast_config(token_expires=1)) as sim,
        httpx.Client(base_url=sim.base_url) as client,
    ):
        joined = join(client, "meet.demo", "Hanna", pin="1234")
        assert joined.result["expires"] == "1"
        wait_until(lambda: joined.get("conference_status").status_code == 403, 5, "expiry")
        wait_until(lambda: sim.state()["conferences"][0]["participant_count"] == 0, 5, "removal")
