"""`pextui sim --pbx` as a process: the PBX on its own port, callers waiting, a clean stop."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys

import pytest

from pextui.phone.yeastar.client import YeastarClient
from pextui.phone.yeastar.credentials import Credentials
from pextui.phone.yeastar.stream import EventStream
from tests.phone.phone_helpers import wait_until

PBX_LINE = re.compile(r"simulated Yeastar P-Series PBX on (http://127\.0\.0\.1:\d+) ")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_sim_with_pbx_serves_both_and_stops_cleanly(sig: signal.Signals) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PEXTUI_PBX_CLIENT_ID": "cli-id",
           "PEXTUI_PBX_CLIENT_SECRET": "cli-secret-123"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "pextui", "sim", "--port", "0", "--pbx", "--pbx-port", "0",
         "--scenario", "quiet", "--number", "7000=meet.board"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(8)]
        found = next(m for m in map(PBX_LINE.search, lines) if m)
        assert "client ID cli-id" in lines[7] and "3 callers waiting" in lines[7]
        assert all("cli-secret-123" not in line for line in lines)

        async def check() -> list[str]:
            async with YeastarClient(found.group(1), Credentials("cli-id", "cli-secret-123")) as c:
                calls = await c.query_calls()
                stream = EventStream(c, heartbeat=5)
                task = asyncio.create_task(stream.run(lambda event: None))
                await wait_until(lambda: stream.state == "connected", what="subscribed")
                channel = calls[0]["members"][0]["inbound"]["channel_id"]
                await c.transfer_blind(channel, "7000", "2005")  # the --number plan
                await stream.stop()
                await task
                return [call["members"][0]["inbound"]["from"] for call in calls]

        assert asyncio.run(check()) == ["+442079460018", "+15555550100", "+4930901820"]
        process.send_signal(sig)
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


@pytest.mark.parametrize(
    ("plan", "message"), [("7000", "NUMBER=ALIAS"), ("7000=meet.nowhere", "meet.nowhere")]
)
def test_bad_number_plan_is_refused(plan: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pextui", "sim", "--port", "0", "--pbx", "--number", plan],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2 and message in done.stderr
