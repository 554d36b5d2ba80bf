"""Several conferences from one command line: `pextui LINK [LINK ...]`, `--alias A --alias B`.

Each join link is one conference; each `--alias` is one more on the `--node` given (or on the
first link's node). PINs: `--pin`, or the link's, or `PEXTUI_PIN_<ALIAS>` for that alias (the
alias upper-cased, every character other than A-Z and 0-9 made `_`: `meet.board` reads
`PEXTUI_PIN_MEET_BOARD`), or `PEXTUI_PIN` for all; otherwise the console asks, in that
conference's tab, when the node wants one.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from typing import TextIO

from pextui.commands.connection import PIN_ENV, UsageError, join_params
from pextui.links import LinkError, parse_link
from pextui.protocol.client import JoinParams

MAX_CONFERENCES = 9  # alt+1..alt+9


def pin_variable(alias: str) -> str:
    """The environment variable holding the PIN of ``alias``: ``PEXTUI_PIN_MEET_BOARD``."""
    return f"{PIN_ENV}_{re.sub(r'[^A-Z0-9]', '_', alias.upper())}"


def _one(
    args: argparse.Namespace,
    link: str | None,
    alias: str | None,
    node: str | None,
    env: Mapping[str, str],
    err: TextIO,
) -> JoinParams:
    name = alias
    if name is None and link is not None:
        try:
            name = parse_link(link).alias
        except LinkError as exc:
            raise UsageError(f"invalid join link: {exc}") from None
    own = dict(env)
    if name and env.get(pin_variable(name)):
        own[PIN_ENV] = env[pin_variable(name)]  # this alias's PIN before the shared one
    single = argparse.Namespace(**{**vars(args), "link": link, "alias": alias, "node": node})
    return join_params(single, env=own, stderr=err)


def several_join_params(
    args: argparse.Namespace,
    *,
    env: Mapping[str, str],
    stderr: TextIO | None = None,
) -> list[JoinParams]:
    """One JoinParams per link and per ``--alias`` (in that order). Raises UsageError."""
    err = stderr or sys.stderr
    links = [link for link in (args.link or []) if link]
    aliases = list(getattr(args, "aliases", None) or [])
    if not links and not aliases:
        return []
    if aliases and not args.node and not links:
        raise UsageError("give a join link, or both --node URL and --alias ALIAS")
    node = args.node
    if aliases and not node:
        try:
            node = parse_link(links[0]).node  # the aliases are on the first link's node
        except LinkError as exc:
            raise UsageError(f"invalid join link: {exc}") from None
    found = [_one(args, link, None, args.node, env, err) for link in links]
    found += [_one(args, None, alias, node, env, err) for alias in aliases]
    seen: set[tuple[str, str]] = set()
    for params in found:
        key = (params.node_url.rstrip("/").lower(), params.alias.lower())
        if key in seen:
            raise UsageError(f"{params.alias} is given twice")
        seen.add(key)
    if len(found) > MAX_CONFERENCES:
        raise UsageError(f"at most {MAX_CONFERENCES} conferences at once")
    return found
