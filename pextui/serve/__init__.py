"""`pextui serve`: the console in a browser, through textual-serve, one app process per tab.

`access` decides who may open the console (loopback only, or a secret the browser presents),
`page` is the HTML the browser gets, `server` runs the aiohttp server and the app processes.
Nothing here imports Textual: the console runs in the child processes.
"""
