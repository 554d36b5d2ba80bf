"""Fetching presentation frames: at most one fetch in flight, the newest frame wins.

``FrameFetcher(fetch, on_frame)``: `want(frame_id)` starts fetching that frame unless it is
the one shown or being fetched; a newer frame cancels the older fetch. `stop()` cancels
everything (the pane was hidden). No Textual here: the pane owns one and draws `on_frame`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("pextui.tui")

Fetch = Callable[[str, bool], Awaitable[bytes]]


class FrameFetcher:
    def __init__(
        self,
        fetch: Fetch,
        on_frame: Callable[[str, bytes], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self._fetch = fetch
        self._on_frame = on_frame
        self._on_error = on_error
        self._task: asyncio.Task[None] | None = None
        self.fetching: str | None = None
        self.shown: str | None = None
        self.started = 0
        self.cancelled = 0

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def want(self, frame_id: str | None, high: bool = False) -> None:
        if frame_id is None or frame_id in (self.shown, self.fetching):
            return
        self._cancel()
        self.fetching = frame_id
        self.started += 1
        self._task = asyncio.get_running_loop().create_task(self._run(frame_id, high))

    async def _run(self, frame_id: str, high: bool) -> None:
        try:
            data = await self._fetch(frame_id, high)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a failed fetch: the next frame tries again
            log.info("frame %s not fetched: %s", frame_id, getattr(exc, "reason", exc))
            if self.fetching == frame_id:
                self.fetching = None
            if self._on_error is not None:
                self._on_error(str(getattr(exc, "reason", "") or exc))
            return
        if self.fetching == frame_id:
            self.fetching = None
            self.shown = frame_id
            self._on_frame(frame_id, data)

    def _cancel(self) -> None:
        if self.busy:
            assert self._task is not None
            self._task.cancel()
            self.cancelled += 1
        self.fetching = None

    def stop(self) -> None:
        """Cancel any fetch; the next `want` fetches again even the same frame."""
        self._cancel()
        self.shown = None

    async def aclose(self) -> None:
        task = self._task
        self.stop()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
