"""`pextui sim --acs` as a user starts it: the CA's path and where the connection string is
come first; the key is never printed; the files are private and gone after exit."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path

from pextui.phone.acs.connection import ConnectionString


def test_sim_acs_prints_its_ca_and_connection_string_file_first() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pextui", "sim", "--port", "0", "--acs", "--acs-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        assert lines[0].startswith("pextui sim ACS Call Automation listening on https://127.0.0.1:")
        ca = Path(re.search(r"CA certificate: (\S+)", lines[1]).group(1))  # type: ignore[union-attr]
        secret = Path(re.search(r"in (\S+) \(mode 600\)", lines[2]).group(1))  # type: ignore[union-attr]
        assert ca.read_text().startswith("-----BEGIN CERTIFICATE-----")
        assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
        connection = ConnectionString.parse(secret.read_text())
        rest = "".join(process.stdout.readline() for _ in range(4))
        assert connection.access_key not in "".join(lines) + rest
        assert "pextui sim listening on http://127.0.0.1:" in rest
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert not ca.exists() and not secret.exists()
