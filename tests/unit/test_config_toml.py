"""Property: our small TOML writer produces what tomllib reads back, for any text."""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from pextui.config import Config, RecentConference, dump_toml, toml_string

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NON_EMPTY = TEXT.filter(bool)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_string_round_trips(value: str) -> None:
    assert tomllib.loads(f"v = {toml_string(value)}")["v"] == value


@settings(max_examples=150, deadline=None)
@given(
    theme=st.none() | NON_EMPTY,
    display_name=st.none() | NON_EMPTY,
    keys=st.dictionaries(NON_EMPTY, NON_EMPTY, max_size=5),
    recent=st.lists(
        st.builds(
            RecentConference,
            node=NON_EMPTY,
            alias=NON_EMPTY,
            display_name=st.none() | NON_EMPTY,
            role=st.none() | st.sampled_from(["host", "guest"]),
        ),
        max_size=4,
    ),
)
def test_any_config_dumps_to_valid_toml(
    theme: str | None,
    display_name: str | None,
    keys: dict[str, str],
    recent: list[RecentConference],
) -> None:
    config = Config(theme=theme, display_name=display_name, keys=keys, recent=tuple(recent))
    data = tomllib.loads(dump_toml(config))
    assert data.get("theme") == theme
    assert data.get("display_name") == display_name
    assert data.get("keys", {}) == keys
    assert [
        (item["node"], item["alias"], item.get("display_name"), item.get("role"))
        for item in data.get("recent", [])
    ] == [(r.node, r.alias, r.display_name, r.role) for r in recent]
