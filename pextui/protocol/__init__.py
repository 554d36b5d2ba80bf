"""The Pexip client REST API v2: payload models, the async client and the event stream.

No Textual here (a test enforces it).
"""
