"""Presentation frames: `presentation_frame` events while someone presents, and the JPEG
slides behind them (`presentation.jpeg`, `presentation_high.jpeg`).

Every `timings.frame_interval` seconds (and at once when a presentation starts) each
presenting conference announces a new frame: SSE `id: N` and data `{"lastEventId": "N"}`
(the SDK reads the id from the JSON). `GET presentation.jpeg?id=N` (token as header or
query) answers that frame, drawn with Pillow: the slide changes every few frames and each
frame shows its own number and progress, so consecutive frames always differ.
"""

from __future__ import annotations

import asyncio
import io
from collections import OrderedDict
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont
from starlette.responses import Response

from pextui.sim.conference import Conference
from pextui.sim.dispatch import Ctx
from pextui.sim.http import failed
from pextui.sim.participants import dumps
from pextui.sim.routes_conference import CONFERENCE

if TYPE_CHECKING:
    from pextui.sim.node import Node

SIZES = {False: (640, 360), True: (1280, 720)}
FRAMES_KEPT = 16  # how many recent frame ids can still be fetched
FRAMES_PER_SLIDE = 3
NO_FRAME = "No presentation frame available"
SLIDES = (
    ("Quarterly review", ("Revenue up 12 %", "Two new regions", "Hiring on track")),
    ("Roadmap", ("Breakout rooms", "Live captions", "Slides in the terminal")),
    ("Risks", ("Supplier delays", "Exchange rates", "Office move in May")),
    ("Customer voice", ("NPS 61 (+4)", "Faster onboarding", "Fewer tickets")),
    ("Next steps", ("Budget sign-off", "Team offsite", "Questions?")),
)
COLOURS = ((24, 58, 112), (20, 96, 74), (120, 40, 40), (84, 52, 120), (60, 60, 60))


def slide_jpeg(frame_id: int, high: bool) -> bytes:
    """Frame `frame_id` as a JPEG (1280x720 when `high`, else 640x360)."""
    width, height = SIZES[high]
    index = (max(frame_id, 1) - 1) // FRAMES_PER_SLIDE % len(SLIDES)
    title, bullets = SLIDES[index]
    image = Image.new("RGB", (width, height), COLOURS[index])
    draw = ImageDraw.Draw(image)
    scale = width / 640
    big = ImageFont.load_default(size=int(34 * scale))
    small = ImageFont.load_default(size=int(22 * scale))
    draw.rectangle((0, 0, width, int(70 * scale)), fill=(250, 250, 250))
    draw.text((int(24 * scale), int(16 * scale)), title, fill=COLOURS[index], font=big)
    for row, bullet in enumerate(bullets):
        y = int((110 + row * 50) * scale)
        draw.ellipse(
            (int(30 * scale), y + int(6 * scale), int(44 * scale), y + int(20 * scale)),
            fill=(255, 210, 80),
        )
        draw.text((int(60 * scale), y), bullet, fill=(255, 255, 255), font=small)
    # a bar that grows with each frame of the slide, and the frame's number
    step = (max(frame_id, 1) - 1) % FRAMES_PER_SLIDE + 1
    bar = int(width * step / FRAMES_PER_SLIDE)
    draw.rectangle((0, height - int(12 * scale), bar, height), fill=(255, 210, 80))
    footer = f"slide {index + 1}/{len(SLIDES)} - frame {frame_id}"
    draw.text((int(24 * scale), height - int(44 * scale)), footer, fill=(230, 230, 230), font=small)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class FrameCache:
    """The last few rendered frames, so every viewer of a frame costs one rendering."""

    def __init__(self, size: int = 2 * FRAMES_KEPT) -> None:
        self.size = size
        self._frames: OrderedDict[tuple[int, bool], bytes] = OrderedDict()

    def get(self, frame_id: int, high: bool) -> bytes:
        key = (frame_id, high)
        jpeg = self._frames.get(key)
        if jpeg is None:
            jpeg = slide_jpeg(frame_id, high)
            self._frames[key] = jpeg
            while len(self._frames) > self.size:
                self._frames.popitem(last=False)
        else:
            self._frames.move_to_end(key)
        return jpeg


CACHE = FrameCache()


def announce_frame(conference: Conference) -> None:
    """A new frame of the current presentation, to everyone but the presenter."""
    conference.frame_id += 1
    frame_id = str(conference.frame_id)
    conference.emit(
        "presentation_frame",
        dumps({"lastEventId": frame_id}),
        exclude=conference.presenter,
        event_id=frame_id,
    )


async def run_frames(node: Node) -> None:
    """Announce frames while conferences present (a new presenter gets one at once)."""
    shown: dict[str, tuple[str | None, float]] = {}
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(min(0.2, node.timings.frame_interval))
        now = loop.time()
        for conference in node.conferences.values():
            presenter = conference.presenter
            last_presenter, last_at = shown.get(conference.alias, (None, 0.0))
            if presenter is None:
                shown.pop(conference.alias, None)
                continue
            if presenter != last_presenter or now - last_at >= node.timings.frame_interval:
                announce_frame(conference)
                shown[conference.alias] = (presenter, now)


def _frame(ctx: Ctx, high: bool) -> Response:
    conference = ctx.conference
    latest = conference.frame_id
    if conference.presenter is None or latest == 0:
        return failed(404, NO_FRAME)
    wanted = ctx.request.query_params.get("id", "")
    frame_id = latest
    if wanted:
        try:
            frame_id = int(wanted)
        except ValueError:
            return failed(404, NO_FRAME)
        if not latest - FRAMES_KEPT < frame_id <= latest:
            return failed(404, NO_FRAME)
    headers = {"Cache-Control": "no-store"}
    conference.frames_served += 1
    return Response(CACHE.get(frame_id, high), media_type="image/jpeg", headers=headers)


@CONFERENCE.register("presentation.jpeg", "GET", access="any", query_token=True)
def presentation_jpeg(ctx: Ctx) -> Response:
    return _frame(ctx, False)


@CONFERENCE.register("presentation_high.jpeg", "GET", access="any", query_token=True)
def presentation_high_jpeg(ctx: Ctx) -> Response:
    return _frame(ctx, True)
