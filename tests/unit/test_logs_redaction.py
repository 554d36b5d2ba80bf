"""Property: a registered secret never survives redaction, whatever surrounds it."""

from __future__ import annotations

import logging
import string
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pextui.logs import RedactingFilter, clear_secrets, redact, register_secret

SECRETS = st.text(string.ascii_letters + string.digits + "-_.=+/", min_size=4, max_size=40)
SURROUNDINGS = st.text(max_size=60)


@pytest.fixture(autouse=True)
def no_secrets() -> Iterator[None]:
    clear_secrets()
    yield
    clear_secrets()


@settings(max_examples=300, deadline=None)
@given(secrets=st.lists(SECRETS, min_size=1, max_size=4), parts=st.lists(SURROUNDINGS, max_size=5))
def test_registered_secrets_never_survive(secrets: list[str], parts: list[str]) -> None:
    clear_secrets()
    for secret in secrets:
        register_secret(secret)
    text = secrets[0].join([*parts, ""]) + "".join(secrets)
    cleaned = redact(text)
    for secret in secrets:
        assert secret not in cleaned


@settings(max_examples=200, deadline=None)
@given(secret=SECRETS, before=SURROUNDINGS, after=SURROUNDINGS)
def test_filter_redacts_message_args_and_exception(secret: str, before: str, after: str) -> None:
    clear_secrets()
    register_secret(secret)
    try:
        raise RuntimeError(before + secret + after)
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "pextui", logging.ERROR, __file__, 1, before + "%s" + after, (secret,), exc_info
    )
    RedactingFilter().filter(record)
    assert secret not in record.getMessage()
    assert record.exc_text is not None
    assert secret not in record.exc_text
