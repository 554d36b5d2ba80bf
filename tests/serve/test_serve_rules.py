"""The binding rule, the access checks, the page and the console's command line, directly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pextui.commands.serve import child_spec
from pextui.protocol.params import NO_PIN, JoinParams
from pextui.serve.access import Access, BindRefused, check_binding, is_loopback
from pextui.serve.page import console_page, font_size
from tests.serve.serve_helpers import PEXTUI, SECRET, private_env


def serve(
    tmp_path: Path, *args: str, secret: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = private_env(tmp_path, **({"PEXTUI_SERVE_SECRET": secret} if secret else {}))
    return subprocess.run(
        [*PEXTUI, "serve", *args], env=env, capture_output=True, text=True, timeout=30
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_needs_nothing(host: str) -> None:
    assert is_loopback(host)
    check_binding(host, allow_remote=False, secret=None)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "example.com"])
def test_anything_else_needs_the_flag_and_a_secret(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(BindRefused, match="--allow-remote"):
        check_binding(host, allow_remote=False, secret=SECRET)
    with pytest.raises(BindRefused, match="PEXTUI_SERVE_SECRET"):
        check_binding(host, allow_remote=True, secret=None)
    with pytest.raises(BindRefused, match="too short"):
        check_binding(host, allow_remote=True, secret="short")
    check_binding(host, allow_remote=True, secret=SECRET)


def test_the_command_refuses_before_listening(tmp_path: Path) -> None:
    """Refusals name what to do; none of them starts a server (exit 2 at once)."""
    result = serve(tmp_path, "--host", "0.0.0.0", "demo")
    assert result.returncode == 2
    assert "not a loopback address" in result.stderr and "--allow-remote" in result.stderr
    result = serve(tmp_path, "--host", "0.0.0.0", "--allow-remote", "demo")
    assert result.returncode == 2 and "PEXTUI_SERVE_SECRET" in result.stderr
    result = serve(tmp_path, "--host", "0.0.0.0", "--allow-remote", "demo", secret="tiny")
    assert result.returncode == 2 and "too short" in result.stderr and "tiny" not in result.stderr
    result = serve(tmp_path, "--tls-cert", "x.pem", "demo")
    assert result.returncode == 2 and "--tls-key" in result.stderr
    result = serve(tmp_path, "--max-consoles", "0", "demo")
    assert result.returncode == 2


def test_access_checks() -> None:
    open_access = Access(None)
    open_access.listen_on("127.0.0.1", 8123)
    assert open_access.host_allowed("127.0.0.1:8123") and open_access.host_allowed("localhost:8123")
    assert not open_access.host_allowed("evil.example:8123")
    assert not open_access.host_allowed("127.0.0.1:9999") and not open_access.host_allowed(None)
    assert open_access.signed_in(None)
    assert open_access.origin_allowed(None, "127.0.0.1:8123")
    assert open_access.origin_allowed("http://127.0.0.1:8123", "127.0.0.1:8123")
    assert not open_access.origin_allowed("http://127.0.0.1:8124", "127.0.0.1:8123")
    assert not open_access.origin_allowed("null", "127.0.0.1:8123")
    locked = Access(SECRET)
    assert locked.needs_secret and not locked.signed_in(None) and not locked.signed_in("x")
    assert not locked.secret_matches(SECRET[:-1]) and not locked.secret_matches("")
    assert locked.secret_matches(SECRET)
    session = locked.new_session()
    assert session != SECRET and locked.signed_in(session)
    assert locked.host_allowed("pextui.example:8443")  # the secret guards it, whatever the name


def test_the_page_shows_a_hostile_alias_literally() -> None:
    page = console_page("<script>alert(1)</script>")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert font_size("24") == 24 and font_size("9999") == 16 and font_size("x") == 16


def test_the_console_command_line_carries_no_pin() -> None:
    join = JoinParams(
        node_url="https://node.example.com",
        alias="meet.alice",
        display_name="Host",
        pin="98765",
        verify="/etc/ssl/ca.pem",
        conference_extension="meet.target",
    )
    spec = child_spec(join, theme="ansi-dark")
    assert spec.argv[:3] == (sys.executable, "-m", "pextui")
    assert "98765" not in " ".join(spec.argv)
    assert spec.env == {"PEXTUI_PIN": "98765"}
    assert {"--ca-bundle", "/etc/ssl/ca.pem", "--extension", "meet.target"} <= set(spec.argv)
    assert spec.argv[-2:] == ("--theme", "ansi-dark")
    inherited = {"PEXTUI_SERVE_SECRET": SECRET, "PEXTUI_PIN": "1111", "HOME": "/h"}
    assert spec.environment(inherited) == {"PEXTUI_PIN": "98765", "HOME": "/h"}
    guest = child_spec(JoinParams(node_url="https://n.example", alias="a", pin=NO_PIN), theme=None)
    assert "--guest" in guest.argv and guest.env == {}
    insecure = child_spec(
        JoinParams(node_url="https://n.example", alias="a", verify=False), theme=None
    )
    assert "--insecure" in insecure.argv
    connect_screen = child_spec(None, theme=None)
    assert connect_screen.argv == (sys.executable, "-m", "pextui")
