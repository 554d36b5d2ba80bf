"""Join links: parsing every documented form, the errors, and building invite links."""

from __future__ import annotations

import pytest

from pextui.links import (
    PIN_MASK,
    InviteLinks,
    JoinLink,
    LinkError,
    build_links,
    format_link,
    normalize_node,
    parse_link,
)

# --------------------------------------------------------------- the seed's own examples


def test_seed_example_name_only() -> None:
    link = parse_link("https://vc.example.com/webapp/conference/meet.alice?name=Bob")
    assert link == JoinLink(
        alias="meet.alice", node="https://vc.example.com", name="Bob", kind="webapp"
    )


def test_seed_example_host_pin() -> None:
    link = parse_link("https://vc.example.com/webapp/conference/meet.alice?name=Bob&pin=1234")
    assert (link.name, link.pin, link.role) == ("Bob", "1234", None)


def test_seed_example_audio_only_guest() -> None:
    link = parse_link(
        "https://vc.example.com/webapp/conference/meet.alice?name=Bob&role=guest&callType=audioonly"
    )
    assert link.role == "guest"
    assert link.call_type == "audioonly"
    assert link.pin is None


def test_seed_example_invitation_card() -> None:
    link = parse_link("https://vc.example.com/webapp/home?conference=meet.alice")
    assert link.kind == "webapp-home"
    assert (link.node, link.alias) == ("https://vc.example.com", "meet.alice")
    assert link.extra == ()


def test_seed_example_pexip_email_footer() -> None:
    link = parse_link("pexip://meet.alice@example.com")
    assert link == JoinLink(alias="meet.alice@example.com", kind="pexip")
    assert link.node is None


def test_seed_example_pexip_guest_pin_and_muted_microphone() -> None:
    link = parse_link("pexip://meet.alice@example.com?pin=1234&muteMicrophone=true")
    assert link.alias == "meet.alice@example.com"
    assert link.pin == "1234"
    assert link.mute_microphone is True
    assert link.mute_camera is False


def test_every_web_app_parameter() -> None:
    link = parse_link(
        "https://vc.example.com:8443/webapp/conference/reception?name=Ann%20Lee&pin=0042"
        "&role=HOST&muteMicrophone=true&muteCamera=1&callType=none&extension=7001"
        "&bandwidth=2464&theme=dark"
    )
    assert link == JoinLink(
        alias="reception",
        node="https://vc.example.com:8443",
        name="Ann Lee",
        pin="0042",
        role="host",
        mute_microphone=True,
        mute_camera=True,
        call_type="none",
        extension="7001",
        bandwidth=2464,
        extra=(("theme", "dark"),),
        kind="webapp",
    )


def test_every_pexip_parameter() -> None:
    link = parse_link(
        "pexip://meet.alice@example.com?host=vc.example.com&name=Bob&pin=5678&role=guest"
        "&muteMicrophone=false&muteCamera=true&extension=42&bandwidth=256"
    )
    assert link.node == "https://vc.example.com"
    assert (link.name, link.pin, link.role) == ("Bob", "5678", "guest")
    assert (link.mute_microphone, link.mute_camera) == (False, True)
    assert (link.extension, link.bandwidth) == ("42", 256)


@pytest.mark.parametrize(
    "url",
    [
        "https://vc.example.com/webapp/?conference=meet.alice",
        "https://vc.example.com/webapp?conference=meet.alice",
        "https://vc.example.com/webapp/#/?conference=meet.alice",
        "https://vc.example.com/webapp/home/?conference=meet.alice",
        "https://vc.example.com/webapp2/home?Conference=meet.alice",
    ],
)
def test_home_variants(url: str) -> None:
    link = parse_link(url)
    assert (link.kind, link.alias, link.node) == (
        "webapp-home",
        "meet.alice",
        "https://vc.example.com",
    )


def test_web_app_under_a_path_prefix_and_trailing_slash() -> None:
    link = parse_link("https://proxy.example.com/vc/webapp3/conference/meet.alice/?name=Bob")
    assert (link.node, link.alias, link.name) == ("https://proxy.example.com", "meet.alice", "Bob")


def test_http_loopback_and_ipv6_nodes() -> None:
    assert parse_link("http://127.0.0.1:5050/webapp/conference/meet.demo").node == (
        "http://127.0.0.1:5050"
    )
    assert parse_link("https://[::1]:8443/webapp/conference/x").node == "https://[::1]:8443"
    assert parse_link("HTTPS://VC.Example.COM:443/webapp/conference/x").node == (
        "https://vc.example.com"
    )


@pytest.mark.parametrize(
    ("url", "alias"),
    [
        ("https://n.example/webapp/conference/meet.alice%40example.com", "meet.alice@example.com"),
        ("https://n.example/webapp/conference/meet.alice@example.com", "meet.alice@example.com"),
        ("https://n.example/webapp/conference/board%20room", "board room"),
        ("https://n.example/webapp/conference/caf%C3%A9%20%E2%98%95", "café ☕"),
        ("https://n.example/webapp/conference/a+b", "a+b"),
        ("https://n.example/webapp/conference/a%2Fb", "a/b"),
        ("https://n.example/webapp/home?conference=a+b%2Bc", "a b+c"),
        ("pexip://r%C3%A9union%40example.com", "réunion@example.com"),
        ("pexip:meet.alice", "meet.alice"),
        ("pexip://meet.alice/?pin=1234#ignored", "meet.alice"),
        ("  pexip://meet.alice  ", "meet.alice"),
        ("<pexip://meet.alice>", "meet.alice"),
        ('"https://n.example/webapp/conference/meet.alice?name=Bob"', "meet.alice"),
    ],
)
def test_aliases_are_url_decoded(url: str, alias: str) -> None:
    assert parse_link(url).alias == alias


def test_names_decode_plus_and_percent_and_unicode() -> None:
    link = parse_link("pexip://x?name=J%C3%BCrgen+M%C3%BCller%20%F0%9F%8E%89&foo=a%26b")
    assert link.name == "Jürgen Müller 🎉"
    assert link.extra == (("foo", "a&b"),)


def test_first_value_wins_and_empty_values_count_as_absent() -> None:
    link = parse_link("pexip://x?name=&name=Ann&name=Bob&pin=&bandwidth=&role=")
    assert link.name == "Ann"
    assert link.pin is None
    assert link.bandwidth is None
    assert link.role is None


def test_pexip_host_with_scheme_and_port() -> None:
    assert parse_link("pexip://x?host=http://127.0.0.1:9000").node == "http://127.0.0.1:9000"
    assert parse_link("pexip://x?host=vc.example.com:8443").node == "https://vc.example.com:8443"


def test_pexip_calltype_is_read_though_never_written() -> None:
    assert parse_link("pexip://x?callType=video").call_type == "video"
    link = JoinLink("x", node="vc.example.com", call_type="video", kind="pexip")
    assert format_link(link) == "pexip://x?host=vc.example.com"


# --------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty link"),
        ("meet.alice", "not a link"),
        ("vc.example.com/webapp/conference/x", "not a link"),
        ("ftp://vc.example.com/webapp/conference/x", "unknown scheme 'ftp'"),
        ("sip:meet.alice@example.com", "unknown scheme 'sip'"),
        ("https://vc.example.com/", "not an Infinity Connect link"),
        ("https://vc.example.com/webappx/conference/x", "not an Infinity Connect link"),
        ("https://vc.example.com/webapp/settings", "not an Infinity Connect link"),
        ("https:///webapp/conference/x", "names no node"),
        ("https://vc.example.com:99999/webapp/conference/x", "malformed web address"),
        ("https://u:p@vc.example.com/webapp/conference/x", "user name or password"),
        ("https://vc.example.com/webapp/conference/", "no conference alias"),
        ("https://vc.example.com/webapp/conference/%20", "no conference alias"),
        ("https://vc.example.com/webapp/home", "no conference alias"),
        ("https://vc.example.com/webapp/home?conference=", "no conference alias"),
        ("pexip://", "no conference alias"),
        ("pexip://?host=vc.example.com", "no conference alias"),
        ("pexip://x?host=ftp://vc.example.com", "host must be an https://"),
        ("pexip://x?bandwidth=255", "outside 256-2464"),
        ("pexip://x?bandwidth=2465", "outside 256-2464"),
        ("pexip://x?bandwidth=fast", "whole number"),
        ("pexip://x?bandwidth=-300", "whole number"),
        ("pexip://x?bandwidth=%D9%A3%D9%A0%D9%A0", "whole number"),
        ("https://n/webapp/conference/x?callType=hologram", "unknown callType 'hologram'"),
        ("pexip://x?role=chair", "unknown role 'chair'"),
        ("pexip://x?muteCamera=maybe", "muteCamera must be true or false"),
        ("pexip://x?pin=12a4", "digits only"),
        ("pexip://x?pin=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94", "digits only"),
        ("pexip://x?pin=1234567890123456789012", "too long"),
        ("pexip://x%00y", "control characters"),
        ("pexip://x?name=a%1b%5b31mb", "control characters"),
        ("pexip://x?evil%07=1", "control characters"),
        ("pexip://%ff", "not valid UTF-8"),
        ("pexip://x?name=%ff", "not valid UTF-8"),
        ("pexip://x?" + "&".join(f"p{i}=1" for i in range(100)), "too many parameters"),
        ("pexip://" + "x" * 9000, "too long"),
    ],
)
def test_bad_links_give_clear_errors(url: str, reason: str) -> None:
    with pytest.raises(LinkError, match=None) as caught:
        parse_link(url)
    assert reason in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_errors_never_show_the_pin_or_the_link() -> None:
    for url in (
        "pexip://x?pin=98765&bandwidth=9",
        "https://n/webapp/conference/x?pin=98765&callType=bad",
        "https://n/webapp/conference/x?pin=98765x",
    ):
        with pytest.raises(LinkError) as caught:
            parse_link(url)
        assert "98765" not in str(caught.value)


def test_repr_never_shows_the_pin() -> None:
    link = parse_link("pexip://x?pin=98765")
    assert "98765" not in repr(link)
    assert "98765" not in str(link)


def test_to_dict_masks_the_pin_unless_asked() -> None:
    link = parse_link("pexip://x?pin=98765&host=n.example")
    assert link.to_dict()["pin"] == PIN_MASK
    assert link.to_dict(show_pin=True)["pin"] == "98765"
    assert parse_link("pexip://x").to_dict()["pin"] is None


def test_long_values_are_shortened_in_errors() -> None:
    with pytest.raises(LinkError) as caught:
        parse_link("pexip://x?role=" + "h" * 500)
    assert len(str(caught.value)) < 120


# --------------------------------------------------------------- building


def test_build_links_guest_without_pin_uses_role_guest() -> None:
    links = build_links("vc.example.com", "meet.alice", host_pin="1234")
    assert links == InviteLinks(
        guest_webapp="https://vc.example.com/webapp/conference/meet.alice?role=guest",
        guest_pexip="pexip://meet.alice?host=vc.example.com&role=guest",
        host_webapp="https://vc.example.com/webapp/conference/meet.alice?role=host",
        host_pexip="pexip://meet.alice?host=vc.example.com&role=host",
    )
    assert "1234" not in str(links.to_dict())


def test_build_links_guest_pin_is_included_host_pin_only_on_request() -> None:
    links = build_links(
        "https://vc.example.com", "meet.board", host_pin="1234", guest_pin="5678", name="Bob"
    )
    assert parse_link(links.guest_webapp).pin == "5678"
    assert parse_link(links.guest_webapp).role is None
    assert parse_link(links.guest_pexip).pin == "5678"
    assert "1234" not in links.host_webapp + links.host_pexip
    shown = build_links(
        "https://vc.example.com", "meet.board", host_pin="1234", guest_pin="5678", include_pin=True
    )
    assert parse_link(shown.host_webapp).pin == "1234"
    assert parse_link(shown.host_pexip).pin == "1234"
    assert parse_link(shown.host_pexip).role == "host"


def test_build_links_all_options() -> None:
    links = build_links(
        "http://127.0.0.1:5050/ignored/path?x=1",
        "meet demo@example.com",
        name="Ann & Bob",
        mute_microphone=True,
        mute_camera=True,
        call_type="audioonly",
        extension="7001",
        bandwidth=512,
    )
    assert links.guest_webapp == (
        "http://127.0.0.1:5050/webapp/conference/meet%20demo@example.com?name=Ann%20%26%20Bob"
        "&role=guest&muteMicrophone=true&muteCamera=true&callType=audioonly&extension=7001"
        "&bandwidth=512"
    )
    pexip = parse_link(links.guest_pexip)
    assert pexip.node == "http://127.0.0.1:5050"
    assert pexip.call_type is None
    assert (pexip.name, pexip.extension, pexip.bandwidth) == ("Ann & Bob", "7001", 512)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"bandwidth": 100}, "outside 256-2464"),
        ({"guest_pin": "12ab"}, "digits only"),
        ({"host_pin": "12ab"}, "digits only"),
        ({"call_type": "hologram"}, "unknown callType"),
        ({"name": "a\x1b[2Jb"}, "control characters"),
    ],
)
def test_build_links_validates(kwargs: dict[str, object], reason: str) -> None:
    with pytest.raises(LinkError, match=reason):
        build_links("vc.example.com", "meet.alice", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("node", "alias", "reason"),
    [
        ("vc.example.com", "", "no conference alias"),
        ("vc.example.com", "  ", "no conference alias"),
        ("ftp://vc.example.com", "x", "https://"),
        ("https://", "x", "names no host"),
        ("https://u@vc.example.com", "x", "user name"),
    ],
)
def test_build_rejects_bad_node_or_alias(node: str, alias: str, reason: str) -> None:
    with pytest.raises(LinkError, match=reason):
        build_links(node, alias)


def test_normalize_node() -> None:
    assert normalize_node("VC.example.com") == "https://vc.example.com"
    assert normalize_node("https://vc.example.com:443/webapp/home?x#y") == "https://vc.example.com"
    assert normalize_node("http://127.0.0.1:80") == "http://127.0.0.1"
    assert normalize_node("http://[::1]:8080") == "http://[::1]:8080"
