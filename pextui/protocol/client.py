"""The Pexip client's front door: `connect(JoinParams(...))` returns the joined `Session`.

```python
from pextui.protocol.client import JoinParams, connect
session = await connect(JoinParams(node_url="https://node", alias="meet.demo", pin="1234"))
```
The HTTP side lives in `pextui.protocol.api`, the session in `pextui.protocol.session`.
"""

from __future__ import annotations

import httpx

from pextui.protocol.answers import TokenGrant
from pextui.protocol.api import ApiClient, network_error
from pextui.protocol.params import DEFAULT_TIMEOUT_S, NO_PIN, JoinParams
from pextui.protocol.session import Session, open_session


async def connect(
    params: JoinParams,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    read_timeout_s: float | None = None,
) -> Session:
    """Join the conference described by `params` and return the live session.

    Raises the typed errors of `pextui.protocol.errors` (PinRequiredError, InvalidPinError,
    ExtensionRequiredError, ConferenceNotFoundError, MaintenanceError, ServerError,
    NetworkError, TLSError, AccessDeniedError, ProtocolError).
    """
    return await open_session(params, transport=transport, read_timeout_s=read_timeout_s)


__all__ = [
    "DEFAULT_TIMEOUT_S",
    "NO_PIN",
    "ApiClient",
    "JoinParams",
    "Session",
    "TokenGrant",
    "connect",
    "network_error",
]
