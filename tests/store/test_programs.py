"""Programs as an analyst names them (hermit.store.programs, resources/programs.yaml):
a name, its numbered and qualified forms, and a regime under every list's name of it."""

from __future__ import annotations

import pytest

from hermit.store.programs import matches_program, program_names


@pytest.mark.parametrize(
    ("programs", "wanted"),
    [
        (["DPRK"], ["DPRK"]),  # UN, OFAC
        (["DPRK3"], ["dprk"]),  # OFAC's numbered programs, any case
        (["DPRK-NKSPEA"], ["DPRK"]),  # and qualified
        (["PRK"], ["DPRK"]),  # EU FSF
        (["EU-PRK"], ["DPRK"]),  # EU annexes
        (["Democratic People's Republic of Korea"], ["DPRK"]),  # OFSI, 2022 format
        (["North Korea (Democratic People's Republic of Korea)"], ["DPRK"]),  # OFSI, 2018
        (["North Korea (Democratic People's Republic of Korea)"], ["north  korea"]),
        (["IRAN-HR"], ["IRAN"]),
        (["SDGT", "SDNTK"], ["SDNTK", "IRAN"]),
    ],
)
def test_a_program_matches(programs: list[str], wanted: list[str]) -> None:
    assert matches_program(programs, wanted)


@pytest.mark.parametrize(
    ("programs", "wanted"),
    [
        (["SDNTK"], ["SDNT"]),  # a longer word is another program
        (["IRAN"], ["DPRK"]),
        (["DPRK3"], ["DPRK4"]),
        (["Syria"], ["DPRK"]),
        ([], ["DPRK"]),
        (["DPRK"], ["", "  "]),  # nothing asked: nothing kept
    ],
)
def test_a_program_does_not_match(programs: list[str], wanted: list[str]) -> None:
    assert not matches_program(programs, wanted)


def test_a_regime_stands_for_every_list_s_name_of_it() -> None:
    names = program_names(["DPRK"])
    assert names[0] == "dprk"
    assert {"prk", "eu-prk", "democratic people's republic of korea"} <= set(names)
    assert set(program_names(["North Korea"])) == set(names) | {"north korea"}
    assert program_names(["SDGT"]) == ["sdgt"]  # a program the table does not know: itself
