"""Calls outside Pexip (a Yeastar P-Series PBX, Azure Communication Services) — no Textual."""
