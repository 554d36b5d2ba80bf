"""The simulated Pexip Infinity Conferencing Node (Starlette app, served by uvicorn).

No Textual here (a test enforces it).
"""
