"""One console process per browser connection, started without a shell.

textual-serve's AppService runs a command line through the shell and hands it the whole
environment. Ours runs an argument vector (`sys.executable -m pextui ...`, nothing for a
shell to misread), takes secrets out of the inherited environment and passes the PIN as
PEXTUI_PIN, so that `ps` never shows it. A process that does not quit when asked is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from asyncio.subprocess import PIPE, Process
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from textual_serve.app_service import AppService

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 8.0  # the console releases its token on quit; then it is killed
REAP_STEP_S = 3.0  # between waiting, terminating and killing


@dataclass(frozen=True, slots=True)
class ChildSpec:
    """What every browser connection runs: argv, variables to set and variables to drop."""

    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    drop_env: frozenset[str] = frozenset()

    def environment(self, inherited: Mapping[str, str]) -> dict[str, str]:
        merged = {k: v for k, v in inherited.items() if k not in self.drop_env}
        merged.update(self.env)
        return merged


class ConsoleProcess(AppService):
    """textual-serve's per-connection service, with our process start and stop."""

    def __init__(self, spec: ChildSpec, **kwargs: Any) -> None:
        super().__init__("pextui", **kwargs)
        self.spec = spec
        self._reaped = False

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return self.spec.environment(super()._build_environment(width=width, height=height))

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        process = await asyncio.create_subprocess_exec(
            *self.spec.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=self._build_environment(width=width, height=height),
        )
        assert process.stdin is not None
        self._process = process
        self._stdin = process.stdin
        log.info("console process %d started", process.pid)
        return process

    async def run(self) -> None:
        """Relay the console's output; when it ends (quit, crash, failed start), so does the
        browser's connection, and the page says that the console has ended."""
        try:
            await super().run()
        finally:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.remote_close()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def stop(self) -> None:
        """Ask the console to quit (it leaves the conference); kill it if it does not."""
        try:
            await asyncio.wait_for(super().stop(), STOP_TIMEOUT_S)
        except (TimeoutError, ConnectionError, RuntimeError) as exc:
            log.warning("console process did not stop cleanly: %s", type(exc).__name__)
        finally:
            await self._reap()

    async def _reap(self) -> None:
        """Wait for the process to end; terminate it, then kill it, if it does not."""
        process = self._process
        if process is None or self._reaped:
            return
        for action in (None, process.terminate, process.kill):
            if process.returncode is not None:
                break
            if action is not None:
                with contextlib.suppress(ProcessLookupError):
                    action()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), REAP_STEP_S)
        if process.returncode is not None and not self._reaped:
            self._reaped = True
            log.info("console process %d ended (%s)", process.pid, process.returncode)
