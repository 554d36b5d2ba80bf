"""The ingest benchmark script runs and reports the documented fields (no timing asserted)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "ingest.py"
_spec = importlib.util.spec_from_file_location("ingest", SCRIPT)
assert _spec is not None and _spec.loader is not None
ingest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ingest)


def test_json_report_has_every_workload_and_field(capsys: pytest.CaptureFixture[str]) -> None:
    code = ingest.main(["--json", "--participants", "40", "--churn-events", "120", "--rounds", "1"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["workloads"]) == {"sync", "churn"}
    for result in report["workloads"].values():
        assert result["events"] > 0
        assert result["events_per_s"] > 0 and result["json_loads_events_per_s"] > 0
        expected_ratio = result["json_loads_events_per_s"] / result["events_per_s"]
        assert result["ratio"] == pytest.approx(expected_ratio, rel=0.01, abs=0.01)
    assert report["workloads"]["sync"]["events"] == 42  # begin + 40 creates + end


def test_generated_streams_parse_and_apply_cleanly() -> None:
    store_factory = ingest.synced_store(30, seed=3)
    store = store_factory()
    assert len(store.roster) == 30
    churn = ingest.churn_events(30, 200, seed=3)
    ingest.run_pipeline(churn, store)
    assert len(store.index) == len(store.roster) > 0
