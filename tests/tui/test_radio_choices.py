"""The role and transfer dialogs show the chosen option without relying on colour."""

from __future__ import annotations

from textual.widgets import RadioButton

from pextui.tui.screens.role import RoleDialog
from pextui.tui.screens.transfer import TransferDialog
from tests.tui.dialog_helpers import DialogHost


def marks(app: DialogHost) -> dict[str, str]:
    """Each radio button's text as drawn, without any style."""
    return {str(button.id): button.render().plain for button in app.screen.query(RadioButton)}


async def test_role_dialog_marks_the_chosen_role_in_plain_text() -> None:
    app = DialogHost(RoleDialog("Alice", current="guest"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        drawn = marks(app)
        assert "●" in drawn["role-chair"] and "●" not in drawn["role-guest"], drawn
        await pilot.press("down")
        await pilot.pause()
        drawn = marks(app)
        assert "●" in drawn["role-guest"] and "●" not in drawn["role-chair"], drawn


async def test_transfer_dialog_marks_the_chosen_role_in_plain_text() -> None:
    app = DialogHost(TransferDialog("Alice"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        drawn = marks(app)
        assert "●" in drawn["role-guest"] and "●" not in drawn["role-host"], drawn
        app.screen.query_one("#role-host", RadioButton).value = True
        await pilot.pause()
        drawn = marks(app)
        assert "●" in drawn["role-host"] and "●" not in drawn["role-guest"], drawn
