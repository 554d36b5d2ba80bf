"""The simulator's side of the signed callbacks, read as any client reads it: its OpenID
configuration and key set over loopback HTTPS (public halves only), its faults' names."""

from __future__ import annotations

import signal
import ssl
import subprocess
import sys
from typing import Any

import httpx
import jwt
import pytest
from jwt.algorithms import RSAAlgorithm

from pextui.sim.acs.faults import AcsFaults
from pextui.sim.acs.server import SimWithAcs

PRIVATE_PARTS = {"d", "p", "q", "dp", "dq", "qi"}


def get(sim: SimWithAcs, url: str) -> httpx.Response:
    with httpx.Client(verify=ssl.create_default_context(cafile=sim.ca), timeout=10) as http:
        return http.get(url)


def test_the_openid_configuration_names_the_issuer_and_the_public_keys(sim: SimWithAcs) -> None:
    config: dict[str, Any] = get(sim, sim.openid_config).json()
    assert sim.openid_config == sim.acs_endpoint + "/calling/.well-known/acsopenidconfiguration"
    assert config["issuer"] == sim.acs_endpoint
    assert config["jwks_uri"] == sim.acs_endpoint + "/calling/keys"
    (key,) = get(sim, config["jwks_uri"]).json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert key["kid"] == sim.acs.signer.kid and not PRIVATE_PARTS & set(key)
    header = sim.acs.signer.authorization(AcsFaults())
    assert header is not None and header.startswith("Bearer ")
    claims = jwt.decode(
        header.removeprefix("Bearer "), RSAAlgorithm.from_jwk(key), algorithms=["RS256"],
        audience=sim.resource_id, issuer=sim.acs_endpoint,
    )  # fmt: skip
    assert claims["exp"] - claims["iat"] == 300
    assert sim.acs.app_id.startswith(f"8:acs:{sim.resource_id}_")


def test_a_rotation_publishes_the_new_key_beside_the_old(sim: SimWithAcs) -> None:
    old = sim.acs.signer.kid
    new = sim.acs.signer.rotate()
    kids = [k["kid"] for k in get(sim, sim.acs_endpoint + "/calling/keys").json()["keys"]]
    assert kids == [new, old]
    newest = sim.acs.signer.rotate()
    kids = [k["kid"] for k in get(sim, sim.acs_endpoint + "/calling/keys").json()["keys"]]
    assert kids == [newest, new]


def test_keys_down_answers_503_and_the_fetches_are_counted(sim: SimWithAcs) -> None:
    sim.acs.faults.update({"keys-down": 1})
    assert get(sim, sim.openid_config).status_code == 503
    assert get(sim, sim.acs_endpoint + "/calling/keys").status_code == 503
    assert sim.acs_state()["signing"]["fetches"] == {"openid": 1, "jwks": 1}


def test_a_fixed_resource_id_is_the_audience() -> None:
    with SimWithAcs(resource_id="0c8d3a4e-0000-4000-8000-000000000001") as sim:
        assert sim.resource_id == "0c8d3a4e-0000-4000-8000-000000000001"
        assert sim.acs_state()["signing"]["resourceId"] == sim.resource_id


@pytest.mark.parametrize("name", ["token-expired-next", "rotate-key-next", "keys-down"])
def test_the_signing_faults_are_known(name: str) -> None:
    faults = AcsFaults({name: 1})
    assert faults.values == {name: 1.0}
    with pytest.raises(ValueError, match="unknown ACS fault"):
        AcsFaults({"token-bogus-next": 1})


def test_pextui_sim_acs_prints_how_to_check_its_callbacks() -> None:
    resource = "0c8d3a4e-0000-4000-8000-000000000002"
    process = subprocess.Popen(
        [sys.executable, "-m", "pextui", "sim", "--port", "0", "--acs", "--acs-port", "0",
         "--acs-resource-id", resource],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(7)]
        (line,) = [x for x in lines if "--acs-openid-config" in x]
        assert f"--acs-resource-id {resource}" in line
        assert "/calling/.well-known/acsopenidconfiguration" in line
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode == 0
