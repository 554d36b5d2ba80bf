"""Fixtures of the security tests: a throwaway certificate for an HTTPS simulator."""

from __future__ import annotations
