"""Helpers for driving the simulator over loopback HTTP: a client wrapper and an SSE reader."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from pextui.sim.config import SimConfig, Timings

API = "/api/client/v2/conferences/"


def fast_config(**overrides: Any) -> SimConfig:
    """A simulator config with quick dials, refreshes and keepalives, plus `overrides`."""
    timings = Timings(
        dial_answer=0.05,
        dial_reject=0.05,
        dial_timeout=0.3,
        refresh_grace=1.0,
        keepalive=0.5,
        expiry_sweep=0.05,
        scenario_speed=20.0,
    )
    return SimConfig(timings=timings, **overrides)  # a misspelt field is a TypeError


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


@dataclass
class Joined:
    """A participant joined through request_token."""

    client: httpx.Client
    alias: str
    token: str
    uuid: str
    result: dict[str, Any]

    def headers(self) -> dict[str, str]:
        return {"token": self.token}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers() | kwargs.pop("headers", {})
        return self.client.get(API + self.alias + "/" + path, headers=headers, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers() | kwargs.pop("headers", {})
        return self.client.post(API + self.alias + "/" + path, headers=headers, **kwargs)

    def act(self, path: str, **kwargs: Any) -> Any:
        """POST that must succeed; returns `result`."""
        response = self.post(path, **kwargs)
        assert response.status_code == 200, (path, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert body["status"] == "success"
        return body["result"]

    def participant(self, uuid: str | None = None) -> dict[str, Any]:
        roster = self.get("participants").json()["result"]
        wanted = uuid or self.uuid
        return next(p for p in roster if p["uuid"] == wanted)

    def status(self) -> dict[str, Any]:
        result: dict[str, Any] = self.get("conference_status").json()["result"]
        return result


def request_token(
    client: httpx.Client,
    alias: str,
    name: str = "Tester",
    pin: str | None = None,
    **body: Any,
) -> httpx.Response:
    headers = {"pin": pin} if pin is not None else {}
    return client.post(
        API + alias + "/request_token", json={"display_name": name, **body}, headers=headers
    )


def join(
    client: httpx.Client, alias: str, name: str = "Tester", pin: str | None = None, **body: Any
) -> Joined:
    response = request_token(client, alias, name, pin, **body)
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    return Joined(client, alias, result["token"], result["participant_uuid"], result)


@dataclass
class Event:
    name: str
    data: str

    def json(self) -> Any:
        return json.loads(self.data)


class EventReader:
    """Reads one event stream in a thread; tests poll `events` with `wait_for`."""

    def __init__(self, client: httpx.Client, alias: str, token: str) -> None:
        self.events: list[Event] = []
        self.comments = 0
        self.ended = False
        self.status_code = 0
        self.content_type = ""
        self.error: httpx.HTTPError | None = None
        self._lock = threading.Lock()
        self._client = client
        self._url = API + alias + "/events"
        self._token = token
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self._client.stream(
                "GET", self._url, params={"token": self._token}, timeout=httpx.Timeout(10.0)
            ) as response:
                self.status_code = response.status_code
                self.content_type = response.headers.get("content-type", "")
                name, data = "message", []
                for line in response.iter_lines():
                    if self._stop:
                        break
                    if line.startswith(":"):
                        self.comments += 1
                    elif line.startswith("event:"):
                        name = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip(" "))
                    elif line == "":
                        if data:
                            with self._lock:
                                self.events.append(Event(name, "\n".join(data)))
                        name, data = "message", []
        except httpx.HTTPError as error:  # kept for the test's failure message
            self.error = error
        finally:
            self.ended = True

    def names(self) -> list[str]:
        with self._lock:
            return [e.name for e in self.events]

    def of(self, name: str) -> list[Event]:
        with self._lock:
            return [e for e in self.events if e.name == name]

    def wait_for(
        self, name: str, match: Callable[[Any], bool] = lambda _: True, timeout: float = 5.0
    ) -> Any:
        def found() -> Any:
            for event in self.of(name):
                try:
                    payload = event.json()
                except ValueError:
                    continue
                if match(payload):
                    return [payload]
            return None

        return wait_until(found, timeout, f"event {name}")[0]

    def wait_synced(self, timeout: float = 5.0) -> None:
        try:
            wait_until(lambda: "participant_sync_end" in self.names(), timeout, "sync")
        except AssertionError:
            raise AssertionError(
                f"no sync on the stream (HTTP {self.status_code}, error {self.error!r})"
            ) from None

    def close(self) -> None:
        self._stop = True


@contextmanager
def reading(client: httpx.Client, alias: str, token: str) -> Iterator[EventReader]:
    reader = EventReader(client, alias, token)
    try:
        reader.wait_synced()
        yield reader
    finally:
        reader.close()
