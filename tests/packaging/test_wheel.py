"""The built wheel carries the stylesheets: installed (not editable) in a fresh venv, the
console loads every .tcss from the installed package and draws with them.

Slow (builds a wheel): run with ``-m slow``; ``.ci/run`` does.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STYLES = sorted(path.name for path in (ROOT / "styles").glob("*.tcss"))

CHECK = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path

    import pextui
    from pextui.tui import stylesheets
    from pextui.tui.app import make_app
    from pextui.tui.screens.connect import ConnectScreen

    installed = Path(pextui.__file__).resolve().parent
    assert Path(sys.prefix).resolve() in installed.parents, installed
    assert stylesheets.STYLES == installed / "styles", stylesheets.STYLES
    assert not stylesheets.STYLES.is_symlink()
    print(*sorted(p.name for p in stylesheets.STYLES.glob("*.tcss")))

    async def main() -> None:
        app = make_app(load_settings=False)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(100):
                if isinstance(app.screen, ConnectScreen):
                    break
                await pilot.pause(0.02)
            screen = app.screen
            assert isinstance(screen, ConnectScreen), screen
            for path in screen.css_path:
                assert Path(path).resolve().parent == installed / "styles", path
                assert app.stylesheet.has_source(str(path), ""), path
            box = screen.query_one("#connect")
            assert box.outer_size.width == 80, box.outer_size  # connect.tcss: width 80
            await app.action_quit()

    asyncio.run(main())
    print("styles loaded from", installed / "styles")
    """
)


@pytest.mark.slow
def test_the_installed_wheel_loads_its_styles(tmp_path: Path) -> None:
    assert {"app.tcss", "conference.tcss", "connect.tcss", "dialogs.tcss", "phone.tcss"} <= set(
        STYLES
    )
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)]
    subprocess.run(build, check=True, timeout=300, cwd=tmp_path)
    (wheel,) = wheels.glob("pextui-*.whl")

    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run([*install, "--no-deps", "--no-index", str(wheel)], check=True, timeout=300)
    # The dependencies (Textual, httpx, ...) come from this environment, pextui from the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "pextui-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    result = subprocess.run(
        [str(python), "-c", CHECK],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # not the repository: nothing may come from the source tree
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[0].split() == STYLES
    assert "styles loaded from" in result.stdout
