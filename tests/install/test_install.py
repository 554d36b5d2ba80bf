"""The install paths a Python user expects, each from scratch, each giving a working `pextui`.

* the wheel (built with pip from a copy of the source tree) installed with pip into a
  fresh venv;
* `pipx install .` and `uv tool install .` from a copy of the source tree (a clone), with
  pipx and uv themselves installed from the package index into a throwaway venv.

Each installed `pextui` answers `--version` and runs `pextui demo --smoke` (the console,
headless, against the embedded simulator until the roster synced), from a folder outside
the source tree; the stylesheets the console loaded must be files inside that installation's
site-packages, wherever in the package they live. Minutes (three environments are built):
marked `install` (and slow), run by .ci/run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pextui import __version__

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.install, pytest.mark.timeout(900)]
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)  # not the project's .venv
SKIP = {".git", ".venv", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache"}


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No venv, no PYTHONPATH, no PEXTUI_*; pextui's config and state under `home`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("PEXTUI_")
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        PEXTUI_CONFIG=str(home / "config" / "pextui" / "config.toml"),
    )
    env.update(extra)
    return env


def run(argv: list[str | Path], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        [str(a) for a in argv], env=env, cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{argv}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def source_copy(dest: Path) -> Path:
    """The source tree as a fresh clone has it (no venv, no build output)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP or n.endswith(".egg-info")}

    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def venv(where: Path, env: dict[str, str]) -> Path:
    run([BASE_PYTHON, "-m", "venv", where], env, where.parent)
    return where / "bin"


def check_installed(pextui: Path, prefix: Path, env: dict[str, str], cwd: Path) -> None:
    """`--version` and the headless demo work; the styles come from `prefix`'s site-packages."""
    assert run([pextui, "--version"], env, cwd).strip() == f"pextui {__version__}"
    summary = json.loads(run([pextui, "demo", "--smoke"], env, cwd).strip().splitlines()[-1])
    assert summary["synced"] is True and summary["roster"] > 1, summary
    assert summary["conference"] == "Demo Meeting"
    assert summary["stylesheets"], "the console loaded no stylesheet"
    for name in summary["stylesheets"]:
        path = Path(name)
        assert path.is_file(), path
        assert path.is_relative_to(prefix.resolve()) and "site-packages" in path.parts, path
        assert not path.is_relative_to(ROOT), f"{path} is the source tree's, not the install's"


def test_the_wheel_in_a_fresh_venv(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    source = source_copy(tmp_path / "clone")
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, source], env, tmp_path)
    (wheel,) = dist.glob("pextui-*.whl")
    bin_dir = venv(tmp_path / "venv", env)
    run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], env, tmp_path)
    check_installed(bin_dir / "pextui", tmp_path / "venv", env, tmp_path)
    # `python -m pextui` is the same program there too.
    version = run([bin_dir / "python", "-m", "pextui", "--version"], env, tmp_path)
    assert version.strip() == f"pextui {__version__}"


def test_pipx_install_from_a_clone(tmp_path: Path) -> None:
    env = clean_env(tmp_path, PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"))
    source = source_copy(tmp_path / "clone")
    tools = venv(tmp_path / "tools", env)
    run([tools / "python", "-m", "pip", "install", "--quiet", "pipx"], env, tmp_path)
    run([tools / "pipx", "install", "--python", BASE_PYTHON, "."], env, source)
    check_installed(
        tmp_path / "bin" / "pextui", tmp_path / "pipx" / "venvs" / "pextui", env, tmp_path
    )


def test_uv_tool_install_from_a_clone(tmp_path: Path) -> None:
    env = clean_env(
        tmp_path,
        UV_TOOL_DIR=str(tmp_path / "uv-tools"),
        UV_TOOL_BIN_DIR=str(tmp_path / "bin"),
        UV_PYTHON_DOWNLOADS="never",  # the system's Python, never a downloaded one
    )
    source = source_copy(tmp_path / "clone")
    tools = venv(tmp_path / "tools", env)
    run([tools / "python", "-m", "pip", "install", "--quiet", "uv"], env, tmp_path)
    run([tools / "uv", "tool", "install", "--python", BASE_PYTHON, "."], env, source)
    check_installed(tmp_path / "bin" / "pextui", tmp_path / "uv-tools" / "pextui", env, tmp_path)
