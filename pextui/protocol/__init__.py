"""The Pexip client REST API v2: payload models, the async client and the event stream.

No Textual here (a test enforces it). Start at `pextui.protocol.client.connect`:

* `client`   — `connect(JoinParams(...)) -> Session`, the public names;
* `session`  — the joined session: token lifecycle, event stream, refer, release;
* `actions`  — every host function as a typed async method (mixed into `Session`);
* `stream`   — the SSE stream with reconnect/backoff and the stream-state items;
* `api`, `answers`, `params` — the HTTP calls, decoding the answers, join parameters;
* `requests` — request bodies validated before sending;
* `errors`   — typed errors with the server's reason (never a PIN or a token);
* `models`   — pydantic payload models and typed events (`parse_event`).
"""
