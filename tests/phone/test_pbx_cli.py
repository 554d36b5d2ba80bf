"""`pextui pbx calls` and `pextui pbx transfer` through `pextui.cli.main`, against the sims."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from pextui import logs
from pextui.cli import main
from pextui.commands import pbx as pbx_command
from pextui.sim.pbx.server import PbxServer
from pextui.sim.server import SimServer
from tests.phone.phone_helpers import CLIENT_ID, SECRET, first_call, wait_until


class Cli:
    def __init__(self, pbx: PbxServer, tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.pbx, self.log, self.capsys = pbx, tmp / "pextui.log", capsys

    def __call__(self, *words: str, base: str | None = None) -> tuple[int, list[Any], str]:
        self.capsys.readouterr()
        url = base or self.pbx.base_url
        command, rest = words[0], list(words[1:])
        code = main(["pbx", "--base-url", url, "--log-file", str(self.log), command, *rest])
        out, err = self.capsys.readouterr()
        return code, [json.loads(line) for line in out.splitlines()], err


@pytest.fixture
def cli(
    pbx: PbxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:  # fmt: skip
    settings = tmp_path / "config.toml"
    settings.write_text('[pbx]\nbase_url = "http://unused"\noperator = "2005"\n'
                        '[pbx.numbers]\nmeet.demo = "8001"\n')  # fmt: skip
    settings.chmod(0o600)
    monkeypatch.setenv("PEXTUI_CONFIG", str(settings))
    monkeypatch.setenv("PEXTUI_PBX_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("PEXTUI_PBX_CLIENT_SECRET", SECRET)
    return Cli(pbx, tmp_path, capsys)


@pytest.fixture(autouse=True)
def _close_logs() -> Any:
    yield
    logs.shutdown_logging()


def test_calls_prints_json_lines_and_revokes_the_token(cli: Cli, pbx: PbxServer) -> None:
    code, lines, err = cli("calls")
    assert (code, err) == (0, "")
    (call,) = lines
    assert call["caller"] == "+442079460018" and call["state"] == "talking"
    assert call["trunk"] == "siptrunk" and call["source"] == "yeastar"
    assert pbx.state()["tokens"] == {"valid": 0, "issued": 1, "revoked": 1}
    assert SECRET not in cli.log.read_text()


def test_blind_transfer_waits_until_the_call_left(cli: Cli, pbx: PbxServer, sim: SimServer) -> None:
    call_id = first_call(pbx)["call_id"]
    code, lines, err = cli("transfer", call_id, "--to", "meet.demo", "--wait", "5")
    assert (code, err) == (0, "")
    assert lines[0]["transfer"]["state"] in ("left", "arrived")
    assert lines[0]["heading_for"] == "meet.demo"
    names = lambda: [p["display_name"] for p in sim.conference_state("meet.demo")["participants"]]  # noqa: E731
    assert wait_until_sync(lambda: "+442079460018" in names())


def wait_until_sync(predicate: Any) -> Any:
    return asyncio.run(wait_until(predicate, what="the simulator's state"))


@pytest.mark.parametrize("operation", ["complete", "threeway"])
def test_attended_in_one_command(cli: Cli, pbx: PbxServer, operation: str) -> None:
    call_id = first_call(pbx)["call_id"]
    code, lines, err = cli("transfer", call_id, "--to", "8001", "--attended", operation,
                           "--wait", "5")  # fmt: skip
    assert (code, err) == (0, "")
    assert lines[0]["transfer"]["mode"] == "attended"
    sent = [r["body"] for r in pbx.state()["received"] if r["path"].endswith("call/transfer")]
    assert [b.get("attended_operate") for b in sent] == [None, operation]


def test_consult_then_abort_in_two_commands(cli: Cli, pbx: PbxServer, sim: SimServer) -> None:
    call_id = first_call(pbx)["call_id"]
    code, lines, _ = cli("transfer", call_id, "--to", "meet.demo", "--attended", "consult")
    assert code == 0 and lines[0]["state"] == "consulting"
    operator = "Reception 2005"
    state = lambda: [p["display_name"] for p in sim.conference_state("meet.demo")["participants"]]  # noqa: E731
    assert wait_until_sync(lambda: operator in state())
    code, lines, _ = cli("transfer", call_id, "--attended", "abort")
    assert code == 0 and lines == [{"attended_operate": "abort", "call_id": call_id,
                                    "state": "accepted"}]  # fmt: skip
    assert wait_until_sync(lambda: operator not in state())


def test_exit_codes(cli: Cli, pbx: PbxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    call_id = first_call(pbx)["call_id"]
    code, _, err = cli("transfer", "no-such-call", "--to", "meet.demo")
    assert code == 2 and "no call 'no-such-call'" in err
    code, _, err = cli("transfer", call_id, "--to", "meet.nowhere")
    assert code == 2 and "no number configured" in err
    code, _, err = cli("transfer", call_id, "--to", "4711")  # not in the PBX's number plan
    assert code == 1 and "PARAMETER ERROR" in err and "errcode 40002" in err
    code, _, err = cli("transfer", call_id, "--attended", "swap")  # no consult under way
    assert code == 1 and "DATA NOT FOUND" in err
    monkeypatch.setenv("PEXTUI_PBX_CLIENT_SECRET", "wrong-one-x")
    code, _, err = cli("calls")
    assert code == 3 and "refused the Client ID / Secret" in err and "wrong-one-x" not in err
    monkeypatch.delenv("PEXTUI_PBX_CLIENT_SECRET")
    code, _, err = cli("calls")  # no terminal to prompt on
    assert code == 2 and "PEXTUI_PBX_CLIENT_SECRET" in err


def test_unreachable_pbx_exits_4(cli: Cli, pbx: PbxServer) -> None:
    base = pbx.base_url
    pbx.stop()
    code, _, err = cli("calls", base=base)
    assert code == 4 and "cannot reach the PBX" in err


def test_a_hostile_errmsg_is_printed_without_escapes(cli: Cli, pbx: PbxServer) -> None:
    from pextui.sim.pbx import operations

    original = operations.not_found
    operations.not_found = lambda field, value: operations.PbxError(  # type: ignore[assignment]
        60001, "\x1b]0;owned\x07DATA\x1b[2J NOT FOUND", field, value
    )
    try:
        code, _, err = cli("transfer", first_call(pbx)["call_id"], "--attended", "swap")
    finally:
        operations.not_found = original
    assert code == 1 and "\x1b" not in err and "DATA NOT FOUND" in err


def test_calls_watch_prints_each_change_until_stopped(cli: Cli, pbx: PbxServer) -> None:
    original = pbx_command.EventStream.run

    async def run_briefly(self: Any, on_event: Any) -> None:
        handled: list[str] = []

        def handling(event: Any) -> None:
            on_event(event)
            handled.append(repr(event))

        task = asyncio.create_task(original(self, handling))
        await wait_until(lambda: self.state == "connected", what="subscribed")
        pbx.run(lambda: pbx.pbx.add_caller("+15555550177", "ringing"))
        await wait_until(lambda: self.connects and len(pbx.state()["calls"]) == 2)
        # the new call's event handled (a fixed 0.2 s sleep was short on a loaded machine)
        await wait_until(
            lambda: any("+15555550177" in e for e in handled), 60, "the new call's event"
        )
        await self.stop()  # as Ctrl-C would
        await task

    pbx_command.EventStream.run = run_briefly  # type: ignore[method-assign]
    try:
        code, lines, _ = cli("calls", "--watch")
    finally:
        pbx_command.EventStream.run = original  # type: ignore[method-assign]
    assert code == 0
    assert [line["caller"] for line in lines] == ["+442079460018", "+15555550177"]
    assert lines[1]["state"] == "ringing"
    assert pbx.state()["tokens"]["valid"] == 0
