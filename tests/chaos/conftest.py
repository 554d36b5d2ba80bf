"""Chaos suite fixtures: the figures each scenario records, and the table printed at the end.

Every scenario fills a `Figures` record (events sent / applied, divergence, actions lost,
crashes, ...). At the end of the run the table is printed and written as JSON and markdown
to `$PEXTUI_CHAOS_REPORT` (a path without suffix; `.json` and `.md` are added) or, without
it, to `chaos-report.json` / `.md` in pytest's base temporary directory.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from _pytest.terminal import TerminalReporter

from tests.chaos.chaos_figures import Figures, markdown_table, write_report

REPORT_ENV = "PEXTUI_CHAOS_REPORT"
_recorded: list[Figures] = []
_report_base: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def _report_location(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    _report_base.append(tmp_path_factory.getbasetemp() / "chaos-report")
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_OUTCOME] = report.outcome


_OUTCOME = pytest.StashKey[str]()


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    """The scenario's figures; recorded (with the test's outcome) when the test ends."""
    variant = "long" if request.node.get_closest_marker("slow") else "short"
    record = Figures(scenario=request.node.originalname, variant=variant)
    yield record
    record.result = request.node.stash.get(_OUTCOME, "error")
    _recorded.append(record)


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if not _recorded:
        return
    base = Path(os.environ[REPORT_ENV]) if os.environ.get(REPORT_ENV) else None
    if base is None and _report_base:
        base = _report_base[0]
    terminalreporter.section("chaos figures")
    for line in markdown_table(_recorded).splitlines():
        terminalreporter.write_line(line)
    if base is not None:
        json_path, md_path = write_report(_recorded, base)
        terminalreporter.write_line(f"written to {json_path} and {md_path}")
