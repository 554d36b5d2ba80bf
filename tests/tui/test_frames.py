"""The frame fetcher (one fetch in flight, the newest frame wins) and the renderer choice."""

from __future__ import annotations

import asyncio

from pextui.tui.frames import FrameFetcher
from pextui.tui.widgets.slides import renderer_name


class SlowNode:
    """Frames that arrive only when the test releases them."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, bool]] = []
        self.gates: dict[str, asyncio.Event] = {}
        self.cancelled: list[str] = []

    async def fetch(self, frame_id: str, high: bool) -> bytes:
        self.asked.append((frame_id, high))
        gate = self.gates.setdefault(frame_id, asyncio.Event())
        try:
            await gate.wait()
        except asyncio.CancelledError:
            self.cancelled.append(frame_id)
            raise
        if frame_id == "bad":
            raise RuntimeError("404 No presentation frame available")
        return f"jpeg {frame_id}".encode()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_newer_frame_cancels_the_older_fetch() -> None:
    node = SlowNode()
    drawn: list[tuple[str, bytes]] = []
    errors: list[str] = []
    fetcher = FrameFetcher(node.fetch, lambda f, d: drawn.append((f, d)), errors.append)
    fetcher.want("1")
    await settle()
    fetcher.want("1")  # already on its way: not fetched twice
    fetcher.want("2")
    await settle()
    assert node.asked == [("1", False), ("2", False)] and node.cancelled == ["1"]
    assert fetcher.busy and fetcher.fetching == "2" and fetcher.cancelled == 1
    node.gates["2"].set()
    await settle()
    assert drawn == [("2", b"jpeg 2")] and fetcher.shown == "2" and not fetcher.busy
    fetcher.want("2")  # shown already
    assert len(node.asked) == 2
    fetcher.want("bad", high=True)
    await settle()
    node.gates["bad"].set()
    await settle()
    assert errors == ["404 No presentation frame available"] and fetcher.shown == "2"
    fetcher.want("3")
    await settle()
    await fetcher.aclose()
    assert node.cancelled == ["1", "3"] and fetcher.shown is None


def test_renderer_choice() -> None:
    assert renderer_name({}) == "auto"
    assert renderer_name({"TMUX": "/tmp/tmux-1/default,1,0"}) == "halfcell"
    assert renderer_name({"TERM": "screen-256color"}) == "halfcell"
    assert renderer_name({"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"}) == "halfcell"
    assert renderer_name({"PEXTUI_IMAGE": "sixel", "TERM": "xterm"}) == "sixel"
    assert renderer_name({"PEXTUI_IMAGE": "KITTY"}) == "kitty"
    assert renderer_name({"PEXTUI_IMAGE": "nonsense"}) == "auto"
    assert renderer_name({"PEXTUI_IMAGE": "sixel", "TMUX": "x"}) == "sixel"  # asked for
