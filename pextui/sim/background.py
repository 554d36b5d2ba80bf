"""Background work started with the app: token expiry, the scenario and the churn."""

from __future__ import annotations

import asyncio

from pextui.sim.churn import Churn
from pextui.sim.node import Node
from pextui.sim.presentation import run_frames
from pextui.sim.scenario import DemoScenario
from pextui.sim.workshop import WorkshopScenario


def start_background(node: Node) -> list[asyncio.Task[None]]:
    tasks = [
        asyncio.create_task(node.run_expiry(), name="sim-expiry"),
        asyncio.create_task(run_frames(node), name="sim-frames"),
    ]
    conference = node.main_conference
    if conference is None:
        return tasks
    if node.config.scenario == "demo":
        tasks.append(asyncio.create_task(DemoScenario(node, conference).run(), name="sim-demo"))
    elif node.config.scenario == "workshop":
        workshop = WorkshopScenario(node, conference)
        tasks.append(asyncio.create_task(workshop.run(), name="sim-workshop"))
    churn = Churn(node, conference)
    tasks.append(asyncio.create_task(churn.run(), name="sim-churn"))
    return tasks
