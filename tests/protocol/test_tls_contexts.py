"""The TLS contexts of the node clients: built once per process; none for a plain-HTTP node."""

from __future__ import annotations

import ssl

from pextui.protocol.api import _ssl_verify


def test_an_https_node_verifies_against_the_default_ca_bundle_built_once() -> None:
    context = _ssl_verify(True, "https")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0
    assert _ssl_verify(True, "https") is context  # the next client reuses it


def test_a_plain_http_node_gets_a_context_that_would_refuse_any_tls_peer() -> None:
    context = _ssl_verify(True, "http")
    assert isinstance(context, ssl.SSLContext)
    # Never used (no URL of an http node is https), and were it used: verified, no CA.
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    assert _ssl_verify(True, "http") is context


def test_insecure_is_as_given() -> None:
    assert _ssl_verify(False, "https") is False
    assert _ssl_verify(False, "http") is False
