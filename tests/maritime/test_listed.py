"""The flag of an MMSI as an ISO code, for the name-and-flag match of vessels against the
lists (hermit/maritime/listed.py): ``ref_mids.iso`` from resources/maritime/mids.tsv
(scripts/make_maritime_tables.py: the ITU administration names through FollowTheMoney's
country cleaning), for every MID, and right for the flags the DPRK-linked fleets fly."""

from __future__ import annotations

import duckdb

from hermit.maritime.reference import load_reference


def test_every_mid_has_its_iso_code() -> None:
    con = duckdb.connect()
    load_reference(con)
    codes = dict(con.execute("SELECT mid, iso FROM ref_mids").fetchall())
    assert [m for m, c in codes.items() if not c] == []
    assert {m: codes[m] for m in (273, 312, 355, 412, 445, 511, 636, 667, 671)} == {
        273: "ru", 312: "bz", 355: "pa", 412: "cn", 445: "kp", 511: "pw", 636: "lr",
        667: "sl", 671: "tg",
    }  # fmt: skip
    assert set(codes[306].split()) >= {"cw", "sx"}  # one MID, several administrations
