"""What each chaos scenario measured, and the table (markdown / JSON) made from it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path


@dataclasses.dataclass
class Figures:
    """One scenario run. Counts are measured, never assumed; None means not applicable."""

    scenario: str
    variant: str  # short (default suite) | long (-m slow)
    seconds: float = 0.0
    events_sent: int | None = None  # events the simulator emitted in the conference
    events_applied: int | None = None  # typed events the client handed to the store
    malformed_skipped: int | None = None
    reconnects: int | None = None  # event stream connections after the first
    refreshes: int | None = None
    rejoins: int | None = None
    divergence: int | None = None  # participants that differ from the simulator's truth
    actions: int | None = None  # host actions issued
    actions_completed: int | None = None
    actions_failed_visibly: int | None = None  # failed with the reason shown
    actions_lost: int | None = None  # neither completed nor a visible failure
    duplicates: int | None = None  # non-idempotent requests the server received twice
    crashes: int = 0
    result: str = "?"
    notes: str = ""


COLUMNS = (
    ("scenario", "scenario"),
    ("variant", "run"),
    ("seconds", "s"),
    ("events_sent", "events sent"),
    ("events_applied", "applied"),
    ("malformed_skipped", "malformed skipped"),
    ("reconnects", "reconnects"),
    ("refreshes", "refreshes"),
    ("rejoins", "rejoins"),
    ("divergence", "divergent"),
    ("actions", "actions"),
    ("actions_completed", "completed"),
    ("actions_failed_visibly", "failed visibly"),
    ("actions_lost", "lost"),
    ("duplicates", "sent twice"),
    ("crashes", "crashes"),
    ("result", "result"),
)


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def markdown_table(rows: Sequence[Figures]) -> str:
    head = "| " + " | ".join(title for _, title in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    body = [
        "| " + " | ".join(_cell(getattr(row, name)) for name, _ in COLUMNS) + " |" for row in rows
    ]
    notes = [f"* {row.scenario} ({row.variant}): {row.notes}" for row in rows if row.notes]
    return "\n".join([head, rule, *body, *(["", *notes] if notes else [])])


def write_report(rows: Sequence[Figures], base: Path) -> tuple[Path, Path]:
    """`base`.json and `base`.md; returns both paths."""
    base.parent.mkdir(parents=True, exist_ok=True)
    json_path = base.with_name(base.name + ".json")
    md_path = base.with_name(base.name + ".md")
    json_path.write_text(json.dumps([dataclasses.asdict(r) for r in rows], indent=2) + "\n")
    md_path.write_text(markdown_table(rows) + "\n")
    return json_path, md_path
