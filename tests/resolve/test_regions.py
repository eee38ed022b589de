"""Region and district codes of a company's identifiers (features.regions), and the
people's columns built from them (run.person_rows), on records written here."""

from __future__ import annotations

from hermit.resolve.config import resolve_config
from hermit.resolve.features import features, regions
from hermit.resolve.records import Record
from hermit.resolve.run import person_rows


def _company(rid: str, ids: set[str], **props: list[str]) -> Record:
    return Record(rid, "Company", "test", "test.csv", 1, dict(props), ids)


def test_codes_from_uscc_ogrn_inn_and_the_old_chinese_number() -> None:
    codes = resolve_config().region_codes
    harbin = _company("a", {"uscc:91230103176221798J"}, jurisdiction=["cn"])
    assert regions(harbin, codes) == (["cn:2301"], ["cn:230103"])
    old = _company("b", set(), jurisdiction=["cn"], registrationNumber=["230103451307167"])
    assert regions(old, codes) == (["cn:2301"], ["cn:230103"])
    # a 15-digit number outside China is not read as a Chinese registration number
    assert regions(_company("c", set(), registrationNumber=["230103451307167"]), codes) == ([], [])
    vladivostok = _company("d", {"ogrn:1022501302955", "inn:2536000012"})
    assert regions(vladivostok, codes) == (["ru:25"], ["ru:2536"])
    # a person's 12-digit INN names no company region
    assert regions(_company("e", {"inn:253600001234"}), codes) == ([], [])


def test_people_take_the_codes_of_every_record_of_their_companies_entities() -> None:
    codes = resolve_config().region_codes
    cn = _company("cn-co-1", {"uscc:91230103176221798J"}, jurisdiction=["cn"])
    intl = _company("intl-c-1", set(), name=["Harbin Jinhai Trading"])  # no code of its own
    person = Record("p", "Person", "test", "t.csv", 1, {"name": ["Meng Fei"]}, related={"intl-c-1"})
    orgs = [features(cn, codes), features(intl, codes)]
    people = [features(person, codes)]
    # the English record resolved with the Chinese one: the person gets its codes
    person_rows({"p": person}, people, {"cn-co-1": "cn-co-1", "intl-c-1": "cn-co-1"}, orgs)
    assert people[0]["related_regions"] == ["cn:2301"]
    assert people[0]["related_districts"] == ["cn:230103"]
    # not resolved together: nothing is known of the person's company's region
    person_rows({"p": person}, people, {"cn-co-1": "cn-co-1", "intl-c-1": "intl-c-1"}, orgs)
    assert people[0]["related_regions"] is None and people[0]["related_districts"] is None
