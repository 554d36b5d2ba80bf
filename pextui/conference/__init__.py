"""The live conference model: a pure reducer from protocol events to roster, stage and status.

No Textual and no I/O here (a test enforces the Textual part).
"""
