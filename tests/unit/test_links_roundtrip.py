"""Property: every link we build parses back to the values it was built from."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from pextui.links import (
    BANDWIDTH_MAX,
    BANDWIDTH_MIN,
    CALL_TYPES,
    KINDS,
    JoinLink,
    LinkError,
    build_links,
    format_link,
    parse_link,
)

# Any text without control characters (surrogates cannot be encoded as UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30)
ALIASES = TEXT.filter(lambda alias: alias.strip() != "")
PINS = st.none() | st.text("0123456789", min_size=1, max_size=20)
HOSTS = st.sampled_from(
    [
        "https://vc.example.com",
        "http://127.0.0.1:5050",
        "https://[::1]:8443",
        "https://node-1.example.org:9443",
    ]
)
BANDWIDTHS = st.none() | st.integers(BANDWIDTH_MIN, BANDWIDTH_MAX)
RESERVED = {"name", "pin", "role", "mutemicrophone", "mutecamera", "calltype"}
RESERVED |= {"extension", "bandwidth", "host", "conference"}
EXTRA = st.lists(
    st.tuples(TEXT.filter(lambda key: key.lower() not in RESERVED), st.just("") | TEXT),
    max_size=3,
)
LINKS = st.builds(
    JoinLink,
    alias=ALIASES,
    node=HOSTS,
    name=st.none() | TEXT,
    pin=PINS,
    role=st.none() | st.sampled_from(["host", "guest"]),
    mute_microphone=st.booleans(),
    mute_camera=st.booleans(),
    call_type=st.none() | st.sampled_from(CALL_TYPES),
    extension=st.none() | TEXT,
    bandwidth=BANDWIDTHS,
    extra=EXTRA.map(tuple),
    kind=st.sampled_from(KINDS),
)


@settings(max_examples=300, deadline=None)
@given(LINKS, st.booleans())
def test_format_then_parse_gives_the_same_link(link: JoinLink, drop_node: bool) -> None:
    if link.kind == "pexip":
        link = replace(link, call_type=None)  # pexip:// links carry no callType
        if drop_node:
            link = replace(link, node=None)  # pexip://alias alone is a valid link
    assert parse_link(format_link(link)) == link


@settings(max_examples=100, deadline=None)
@given(
    node=HOSTS,
    alias=ALIASES,
    host_pin=PINS,
    guest_pin=PINS,
    include_pin=st.booleans(),
    bandwidth=BANDWIDTHS,
)
def test_invite_links_round_trip(
    node: str,
    alias: str,
    host_pin: str | None,
    guest_pin: str | None,
    include_pin: bool,
    bandwidth: int | None,
) -> None:
    links = build_links(
        node,
        alias,
        host_pin=host_pin,
        guest_pin=guest_pin,
        include_pin=include_pin,
        bandwidth=bandwidth,
    )
    for url in (links.guest_webapp, links.guest_pexip):
        guest = parse_link(url)
        assert (guest.node, guest.alias, guest.bandwidth) == (node, alias, bandwidth)
        assert guest.pin == guest_pin
        assert guest.role == (None if guest_pin else "guest")
    for url in (links.host_webapp, links.host_pexip):
        host = parse_link(url)
        assert (host.node, host.alias, host.role) == (node, alias, "host")
        assert host.pin == (host_pin if include_pin else None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parse_link_raises_only_link_error(text: str) -> None:
    for candidate in (text, "pexip://" + text, "https://n.example/webapp/conference/" + text):
        try:
            link = parse_link(candidate)
        except LinkError as error:
            assert str(error)
        else:
            assert link.alias.strip()
            assert not any(ord(char) < 32 for char in link.alias + (link.name or ""))
