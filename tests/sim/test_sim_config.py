"""VmrConfig.parse (the --vmr syntax) and the default set."""

from __future__ import annotations

import pytest

from pextui.sim.config import SimConfig, VmrConfig, default_vmrs


def test_parse_alias_and_pins() -> None:
    assert VmrConfig.parse("meet.x") == VmrConfig("meet.x")
    assert VmrConfig.parse("meet.x:1234") == VmrConfig("meet.x", host_pin="1234")
    assert VmrConfig.parse("meet.x:1234:5678") == VmrConfig("meet.x", "1234", "5678")
    assert VmrConfig.parse("meet.x::") == VmrConfig("meet.x")


@pytest.mark.parametrize(
    "text",
    ["", ":1234", "meet x", "meet/x", "meet.x:12a4", "meet.x::5678", "meet.x:1:1", "a:1:2:3"],
)
def test_parse_refuses_bad_syntax(text: str) -> None:
    with pytest.raises(ValueError):
        VmrConfig.parse(text)


def test_default_set() -> None:
    vmrs = {vmr.alias: vmr for vmr in default_vmrs()}
    assert (vmrs["meet.demo"].host_pin, vmrs["meet.demo"].guest_pin) == ("1234", None)
    assert (vmrs["meet.board"].host_pin, vmrs["meet.board"].guest_pin) == ("1234", "5678")
    assert vmrs["townhall"].kind == "auditorium" and vmrs["townhall"].host_pin == "1234"
    assert vmrs["reception"].kind == "reception"
    assert SimConfig().resolved_vmrs() == default_vmrs()
    assert SimConfig(vmrs=[VmrConfig("a")]).resolved_vmrs() == (VmrConfig("a"),)
