"""Wide characters (emoji, CJK) in a display name keep the roster's columns aligned: the
name column is measured in terminal cells, not in characters."""

from __future__ import annotations

import pytest
from rich.cells import cell_len, get_character_cell_size
from rich.style import Style

from pextui.protocol.models import Participant
from pextui.tui.widgets.roster_columns import MARK_WIDTH, RowFacts, columns_for, name_width, row

FACTS = RowFacts(now=0.0, vad=0.0, spotlight_order=0, hand_order=0, pending="")


def after_cells(text: str, cells: int) -> str:
    """`text` without its first `cells` terminal cells."""
    used = 0
    for index, char in enumerate(text):
        if used >= cells:
            return text[index:]
        used += get_character_cell_size(char)
    return ""


@pytest.mark.parametrize("name", ["👩 Ada 🎉", "漢字の名前", "🎉" * 60, "Ｆｕｌｌｗｉｄｔｈ"])
@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("pending", ["", "muting"])
def test_wide_names_keep_the_columns_aligned(name: str, width: int, pending: str) -> None:
    facts = RowFacts(now=0.0, vad=0.0, spotlight_order=0, hand_order=0, pending=pending)
    wide = row(Participant(uuid="a", display_name=name), facts, width, False, lambda _: Style())
    plain = row(Participant(uuid="a", display_name="Ada"), facts, width, False, lambda _: Style())
    assert wide.cell_len == width == plain.cell_len
    name_cells = MARK_WIDTH + name_width(width, columns_for(width))
    assert after_cells(wide.plain, name_cells) == after_cells(plain.plain, name_cells)
    assert cell_len(wide.plain) == width
