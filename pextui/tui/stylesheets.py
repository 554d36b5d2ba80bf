"""Where the stylesheets are: the top-level ``styles/`` folder, shipped inside the wheel.

In the repository ``pextui/styles`` links to ``styles/``; a built wheel carries the files
themselves as ``pextui/styles/*.tcss`` (package data), so an installed console finds them
next to its code. Screens load theirs with ``CSS_PATH`` (see docs/architecture.md).
"""

from __future__ import annotations

from pathlib import Path, PurePath

STYLES = Path(__file__).resolve().parent.parent / "styles"
APP = STYLES / "app.tcss"  # every screen: the shared dialog box, forms
CONFERENCE = STYLES / "conference.tcss"
CONNECT = STYLES / "connect.tcss"
DIALOGS = STYLES / "dialogs.tcss"
PHONE = STYLES / "phone.tcss"  # the phone panel

# The console loads every area at start (no restyle when a dialog first opens); each screen
# names its own files too, so it is styled in any app that shows it.
APP_CSS: list[str | PurePath] = [APP, CONFERENCE, CONNECT, DIALOGS, PHONE]
CONFERENCE_CSS: list[str | PurePath] = [APP, CONFERENCE]
CONNECT_CSS: list[str | PurePath] = [APP, CONNECT]
DIALOG_CSS: list[str | PurePath] = [APP, DIALOGS]
