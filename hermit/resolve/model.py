"""The Splink models: hermit's (on the columns of features.py, names scored by hermit's
scorer) for organizations and for people, and the plain one bench/resolve_bench.py
compares it with (Splink's default comparisons of names, dates and addresses as
written). Each is a plain Splink settings dictionary, so a run can record it."""

from __future__ import annotations

from typing import Any

from hermit.resolve.config import resolve_config
from hermit.resolve.udf import FUNCTION

#: Name score bounds of the comparison levels (hermit-tokens scores, 0..1).
NAME_LEVELS = (0.92, 0.8, 0.6)


def _null(*cols: str) -> dict[str, Any]:
    cond = " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in cols)
    return {
        "sql_condition": cond,
        "label_for_charts": "no value on one side",
        "is_null_level": True,
    }


def _level(sql: str, label: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label}


def _else() -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": "different"}


#: hermit's scorer is asked only about names whose keys (words in order of the
#: alphabet) are somewhat alike (Jaro-Winkler at least GUARD_SIMILARITY): the guard
#: keeps Splink's random sample of pairs for the u probabilities from calling it
#: for every pair.
GUARD_SIMILARITY = 0.8
GUARD = f'jaro_winkler_similarity("name_key_l", "name_key_r") >= {GUARD_SIMILARITY}'


def name_comparison(organization: bool) -> dict[str, Any]:
    flag = "true" if organization else "false"
    score = f'({GUARD}) AND {FUNCTION}("name_readings_l", "name_readings_r", {flag})'
    same = _level('"name_key_l" = "name_key_r"', "same name")
    same["tf_adjustment_column"] = "name_key"  # a rare name says more than a common one
    same["tf_adjustment_weight"] = 1.0
    levels = [
        _null("name_readings"),
        same,
        _level('len(list_intersect("name_keys_l", "name_keys_r")) > 0', "same name key"),
    ]
    for bound in NAME_LEVELS[:2]:
        levels.append(_level(f"{score} >= {bound}", f"hermit name score >= {bound}"))
    if organization:
        levels.append(_level('"name_prefix_l" = "name_prefix_r"', "same first letters"))
    levels.append(_level(f"{score} >= {NAME_LEVELS[2]}", f"hermit name score >= {NAME_LEVELS[2]}"))
    levels.append(_else())
    return {"output_column_name": "name", "comparison_levels": levels}


def id_comparison() -> dict[str, Any]:
    """Identifiers: the same valid one is near-certain, its u probability fixed from
    resolve.yaml (Splink's random sample of pairs holds true matches that share one,
    which would make a shared identifier look like a coincidence)."""
    same = _level('list_has_any("ids_l", "ids_r")', "same valid identifier")
    same["u_probability"] = resolve_config().same_identifier_u_probability
    same["fix_u_probability"] = True
    null = (
        '("ids_l" IS NULL AND "weak_ids_l" IS NULL) OR ("ids_r" IS NULL AND "weak_ids_r" IS NULL)'
    )
    return {
        "output_column_name": "ids",
        "comparison_levels": [
            {
                "sql_condition": null,
                "label_for_charts": "no identifier on one side",
                "is_null_level": True,
            },
            same,
            _level(
                'len(list_intersect("id_schemes_l", "id_schemes_r")) > 0',
                "different valid identifiers of one scheme",
            ),
            _level('list_has_any("weak_ids_l", "weak_ids_r")', "same invalid identifier"),
            _else(),
        ],
    }


def date_comparison(what: str) -> dict[str, Any]:
    return {
        "output_column_name": "date",
        "comparison_levels": [
            _null("date"),
            _level('"date_l" = "date_r"', f"same {what}"),
            _level('substr("date_l", 1, 7) = substr("date_r", 1, 7)', f"{what}: same month"),
            _level('substr("date_l", 1, 4) = substr("date_r", 1, 4)', f"{what}: same year"),
            _else(),
        ],
    }


def address_comparison() -> dict[str, Any]:
    common = 'len(list_intersect("address_numbers_l", "address_numbers_r"))'
    return {
        "output_column_name": "address",
        "comparison_levels": [
            _null("address_numbers"),
            _level(f"{common} >= 3", "three address numbers in common"),
            _level(f"{common} >= 2", "two address numbers in common"),
            _level(f"{common} >= 1", "one address number in common"),
            _else(),
        ],
    }


def _same_value(column: str) -> dict[str, Any]:
    """A column compared as written: null, the same value, or different."""
    return {
        "output_column_name": column,
        "comparison_levels": [
            _null(column),
            _level(f'"{column}_l" = "{column}_r"', f"same {column}"),
            _else(),
        ],
    }


def country_comparison() -> dict[str, Any]:
    return _same_value("country")


def related_comparison() -> dict[str, Any]:
    """The companies a person is attached to, as resolved. Its null level also names
    ``related_first`` (null exactly when ``related_entities`` is), so that Splink
    leaves this comparison out of the EM session blocked on the same company
    (EM_RULES), where every pair is at its "same company" level: trained there, its m
    was near 1 and a shared company outweighed two different names."""
    return {
        "output_column_name": "related",
        "comparison_levels": [
            _null("related_entities", "related_first"),
            _level(
                'list_has_any("related_entities_l", "related_entities_r")',
                "attached to the same resolved company",
            ),
            _else(),
        ],
    }


def gender_comparison() -> dict[str, Any]:
    """Gender as written: a different one is strong evidence of two people."""
    return _same_value("gender")


def region_comparison() -> dict[str, Any]:
    """The regions of the companies a person is attached to (features.regions): the
    same person named in two companies is mostly named in companies of one region,
    two namesakes mostly in two (on the dev registry, of the pairs of people that share
    a name key and no company, 83 % are one person when their companies share a region
    code, 0.7 % when both have one and none is shared; of one district 93 %)."""
    return {
        "output_column_name": "region",
        "comparison_levels": [
            _null("related_regions"),
            _level(
                'list_has_any("related_districts_l", "related_districts_r")',
                "attached to companies of one district",
            ),
            _level(
                'list_has_any("related_regions_l", "related_regions_r")',
                "attached to companies of one region",
            ),
            _else(),
        ],
    }


def _explode(column: str, extra: str = "") -> dict[str, Any]:
    rule = f'l."{column}" = r."{column}"' + (f" AND {extra}" if extra else "")
    return {"blocking_rule": rule, "arrays_to_explode": [column]}


RETAIN = ["registry", "name"]


def organization_settings() -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "comparisons": [
            name_comparison(True),
            id_comparison(),
            date_comparison("registered"),
            address_comparison(),
            country_comparison(),
        ],
        "blocking_rules_to_generate_predictions": [
            _explode("ids"),
            _explode("name_keys"),
            _explode("name_starts"),
            _explode("name_cores"),
            _explode("name_sounds"),
            {"blocking_rule": 'l."address_key" = r."address_key"'},
        ],
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": RETAIN,
    }


def person_settings() -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "comparisons": [
            name_comparison(False),
            id_comparison(),
            date_comparison("born"),
            country_comparison(),
            related_comparison(),
            gender_comparison(),
            region_comparison(),
        ],
        "blocking_rules_to_generate_predictions": [
            _explode("ids"),
            _explode("name_keys"),
            _explode("name_sounds"),
            _explode("related_entities"),
            _explode("name_tokens", 'l."date" = r."date"'),
        ],
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": RETAIN,
    }


#: EM training sessions (plain blocking rules: Splink explodes no arrays in training).
EM_RULES = {
    "organization": ['l."name_key" = r."name_key"', 'l."id_first" = r."id_first"'],
    # people: the name and one resolved company in common (nearly all the same person, so
    # the m of dates and countries are those of true matches, not of namesakes), then
    # the date of birth (for the m of names and of companies in common)
    "person": [
        'l."name_key" = r."name_key" AND l."related_first" = r."related_first"',
        'l."date" = r."date"',
    ],
}
#: Rules taken as near-certain for the prior (probability two random records match).
PRIOR_RULES = {
    "organization": ['l."id_first" = r."id_first"'],
    # people: also the same name attached to the same resolved company (most people
    # have no date of birth, and with the date alone the prior was a tenth of the
    # labelled figure on the full dev registry)
    "person": [
        'l."id_first" = r."id_first"',
        'l."name_key" = r."name_key" AND l."date" = r."date"',
        'l."name_key" = r."name_key" AND l."related_first" = r."related_first"',
    ],
}


def plain_settings() -> dict[str, Any]:
    """Splink with its default comparisons of the names, dates and addresses as
    written, blocked on the same, within one kind of entity."""
    import splink.comparison_library as cl

    return {
        "link_type": "dedupe_only",
        "comparisons": [
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("date", input_is_string=True),
            cl.JaroWinklerAtThresholds("address"),
        ],
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": 'l."kind" = r."kind" AND l."name" = r."name"'},
            {"blocking_rule": 'l."kind" = r."kind" AND l."date" = r."date"'},
            {"blocking_rule": 'l."kind" = r."kind" AND l."address" = r."address"'},
        ],
        "retain_intermediate_calculation_columns": True,
    }


#: The broad block on which EM estimates the prior (run._prior_em), carried back to all
#: pairs through the Bayes factor of the level it fixes ("same name"): people with the
#: same name are one person or namesakes (on the dev registry's labels, 40 % of such
#: pairs are one person), so EM sees both classes. Organizations keep the prior of the
#: near-certain rules.
PRIOR_EM_RULES = {"person": 'l."name_key" = r."name_key"'}
