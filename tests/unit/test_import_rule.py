"""The layering rule of ARCHITECTURE.md: the core never imports Textual, the TUI never httpx."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pextui"


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def offenders(subpackage: str, forbidden: set[str]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / subpackage).rglob("*.py")):
        bad = imported_roots(path) & forbidden
        if bad:
            found.append(f"{path.relative_to(PACKAGE.parent)} imports {sorted(bad)}")
    return found


@pytest.mark.parametrize("subpackage", ["protocol", "conference", "sim", "phone"])
def test_core_packages_never_import_textual(subpackage: str) -> None:
    assert (PACKAGE / subpackage).is_dir()
    assert offenders(subpackage, {"textual", "rich"}) == []


def test_tui_never_imports_httpx() -> None:
    assert offenders("tui", {"httpx", "httpx_sse"}) == []


def test_tui_never_imports_websockets_or_azure() -> None:
    assert offenders("tui", {"websockets", "azure"}) == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom textual.app import App\nimport httpx.auth\n")
    assert imported_roots(sample) == {"os", "textual", "httpx"}
