"""What the browser gets: the console page, the sign-in page, their CSS and boot script.

textual-serve's own `textual.js` (xterm.js and the WebSocket protocol) and its fonts are
served from its package under /static; the page around them is ours: the title names the
conference, the terminal fills the window (textual.js refits it on every resize), nothing is
fetched from outside (the font comes from textual-serve's package), and no inline script
is needed, so the Content-Security-Policy forbids all script but our own files.
"""

from __future__ import annotations

import html

FONT = "/static/fonts/RobotoMono-VariableFont_wght.ttf"
DEFAULT_FONT_SIZE = 16
FONT_SIZES = range(8, 65)

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" would make a form's Origin "null"
    "Cache-Control": "no-store",
}

# textual.js reads the WebSocket address from the element when the window has loaded; it is
# set here from the page's own address, so it is right behind a proxy and for any Host.
BOOT_JS = """\
document.addEventListener("DOMContentLoaded", function () {
  var terminal = document.getElementById("terminal");
  var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  terminal.dataset.sessionWebsocketUrl = scheme + "//" + window.location.host + "/ws";
});
"""

PAGE_CSS = f"""\
@font-face {{
  font-family: "Roboto Mono";
  src: url("{FONT}") format("truetype");
  font-weight: 100 700;
}}
html, body {{
  margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden;
  background: #0c181f; color: #e6edf1; font-family: "Roboto Mono", monospace;
}}
#terminal {{ position: absolute; inset: 0; opacity: 0; }}
body.-first-byte #terminal {{ opacity: 1; }}
.notice {{
  position: absolute; inset: 0; display: flex; flex-direction: column;
  align-items: center; justify-content: center; gap: 1em; font-size: 18px;
}}
body.-first-byte #connecting {{ display: none; }}
#ended {{ display: none; background: #0c181f; z-index: 10; }}
body.-closed #ended {{ display: flex; }}
a {{ color: #8ecbff; }}
form {{ display: flex; flex-direction: column; gap: 0.8em; min-width: 22em; }}
input, button {{ font: inherit; padding: 0.5em; }}
.error {{ color: #ff9b8e; }}
"""


def font_size(value: str | None) -> int:
    """`?fontsize=N` (for a wall screen), within FONT_SIZES, else the default."""
    try:
        size = int(value or DEFAULT_FONT_SIZE)
    except ValueError:
        return DEFAULT_FONT_SIZE
    return size if size in FONT_SIZES else DEFAULT_FONT_SIZE


def page_title(conference: str) -> str:
    return f"{conference} · pextui" if conference else "pextui"


def console_page(conference: str, *, size: int = DEFAULT_FONT_SIZE) -> str:
    """The page that runs the console; the conference's name is shown literally."""
    shown = html.escape(conference or "the connect screen")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(page_title(conference))}</title>
<link rel="preload" href="{FONT}" as="font" type="font/ttf" crossorigin>
<link rel="stylesheet" href="/static/css/xterm.css">
<link rel="stylesheet" href="/pextui/page.css">
<script src="/pextui/boot.js"></script>
<script src="/static/js/textual.js"></script>
</head>
<body>
<div class="notice" id="connecting">Starting the console for {shown}…</div>
<div class="notice" id="ended"><div>The console has ended.</div><a href="/">Open it again</a></div>
<div id="terminal" class="textual-terminal" data-font-size="{size}"></div>
</body>
</html>
"""


def sign_in_page(*, wrong: bool = False) -> str:
    """The form that asks for the secret; it names no conference."""
    error = '<div class="error">That is not the secret.</div>' if wrong else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pextui: sign in</title>
<link rel="stylesheet" href="/pextui/page.css">
</head>
<body>
<div class="notice">
<form method="post" action="/sign-in" autocomplete="off">
<label for="secret">The secret this console was started with</label>
<input id="secret" name="secret" type="password" autofocus required>
{error}
<button type="submit">Open the console</button>
</form>
</div>
</body>
</html>
"""
