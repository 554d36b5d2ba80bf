"""Background work started with the app: token expiry, the scenario and the churn."""

from __future__ import annotations

import asyncio

from pextui.sim.node import Node


def start_background(node: Node) -> list[asyncio.Task[None]]:
    tasks = [asyncio.create_task(node.run_expiry(), name="sim-expiry")]
    return tasks
