"""GET /entities/{id} names the parties an entity is linked to, in both directions, on
the real OFAC list: each "Linked To" (an UnknownLink) resolved to the party at its
other end, with its caption and schema, the link's id kept as secondary.

The oracle is the store itself: the UnknownLink rows whose subject or object is the
entity, read with SQL from the session's store (the service runs on a copy of it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from tests.api.conftest import Service

OMM = "ofac-17068"  # OCEAN MARITIME MANAGEMENT COMPANY LIMITED: nine vessels linked to it
EVER_BRIGHT = "ofac-19570"  # one of them, a vessel linked to OMM


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[httpx.Client]:
    with service.client() as c:
        yield c


@pytest.fixture(scope="module")
def store_links(lists_store: Path) -> dict[str, set[tuple[str, str, str]]]:
    """(link id, other party, direction) per entity, for the two entities tested."""
    con = duckdb.connect(str(lists_store), read_only=True)
    try:
        rows = con.execute(
            "SELECT s.entity_id, s.value, o.value FROM current_statements s "
            "JOIN current_statements o ON o.entity_id = s.entity_id AND o.prop = 'object' "
            "WHERE s.prop = 'subject' AND (s.value IN (?, ?) OR o.value IN (?, ?))",
            [OMM, EVER_BRIGHT, OMM, EVER_BRIGHT],
        ).fetchall()
        captions = dict(con.execute("SELECT entity_id, caption FROM current_entities").fetchall())
    finally:
        con.close()
    out: dict[str, set[tuple[str, str, str]]] = {OMM: set(), EVER_BRIGHT: set()}
    for link, subject, obj in rows:
        if subject in out:
            out[subject].add((link, obj, "outgoing"))
        if obj in out:
            out[obj].add((link, subject, "incoming"))
    assert all(captions.get(other) for found in out.values() for _, other, _ in found)
    return out


def entity(client: httpx.Client, entity_id: str) -> dict[str, Any]:
    r = client.get(f"/entities/{entity_id}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_parties_linked_to_an_entity_are_named(
    client: httpx.Client, store_links: dict[str, set[tuple[str, str, str]]]
) -> None:
    e = entity(client, OMM)
    links = e["links"]
    assert len(store_links[OMM]) == 9
    assert {(x["via"], x["id"], x["direction"]) for x in links} == store_links[OMM]
    for x in links:
        other = entity(client, x["id"])
        assert (x["caption"], x["schema"]) == (other["caption"], other["schema"])
        assert x["schema"] == "Vessel" and x["via_schema"] == "UnknownLink"
        assert x["relation"] == "linked to" and x["phrase"] == "linked to this"
        assert x["datasets"] == ["us_ofac_sdn"]
    assert "EVER BRIGHT 88" in {x["caption"] for x in links}
    captions = [x["caption"] for x in links]
    assert captions == sorted(captions, key=str.casefold)


def test_the_other_direction_names_the_party_it_links_to(
    client: httpx.Client, store_links: dict[str, set[tuple[str, str, str]]]
) -> None:
    e = entity(client, EVER_BRIGHT)
    assert [(x["via"], x["id"], x["direction"]) for x in e["links"]] == sorted(
        store_links[EVER_BRIGHT]
    )
    (link,) = e["links"]
    assert link["caption"] == "OCEAN MARITIME MANAGEMENT COMPANY LIMITED"
    assert (link["schema"], link["phrase"]) == ("Organization", "linked to")


def test_nested_links_carry_the_party_not_its_bare_id(client: httpx.Client) -> None:
    e = entity(client, EVER_BRIGHT)
    (link,) = e["properties"]["unknownLinkTo"]
    assert link["schema"] == "UnknownLink"
    assert link["properties"]["subject"] == [EVER_BRIGHT]  # the entity asked for: its id
    (other,) = link["properties"]["object"]
    assert isinstance(other, dict)
    assert (other["id"], other["caption"]) == (OMM, "OCEAN MARITIME MANAGEMENT COMPANY LIMITED")
    back = entity(client, OMM)
    for nested in back["properties"]["unknownLinkFrom"]:
        (subject,) = nested["properties"]["subject"]
        assert isinstance(subject, dict) and subject["schema"] == "Vessel"


def test_an_entity_without_links_has_none(client: httpx.Client) -> None:
    e = entity(client, "unsc-kpi-024")
    assert e["links"] == []  # its sanctions and passport are its own records, not links
    assert [s["schema"] for s in e["properties"]["sanctions"]] == ["Sanction"]
