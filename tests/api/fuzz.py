"""Requests generated from the service's own /openapi.json (schemathesis), valid ones
(positive) and ones that break the schema (negative), derandomized so every run sends
the same requests: none may get a 5xx, and every 4xx is JSON with a ``detail``."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable


def fuzz(
    base_url: str,
    path_regex: str,
    examples: int,
    scope: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[set[str], int]:
    """Fuzz every operation whose path matches ``path_regex``, ``examples`` cases per
    operation, mode and scope: path parameters left free, and set to ``scope`` where the
    path has all of its keys, so bodies reach the code behind a valid path (an id made
    by an earlier request: a job's, a key's). ``headers`` go with every request (an API
    key). Returns the operations' labels and the number of requests sent; a bad answer
    fails the test."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [r.ok() for r in schema.include(path_regex=path_regex).get_all_operations()]
    run = settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    sent = 0
    skipped: list[str] = []
    for operation in operations:
        scopes: list[dict[str, Any] | None] = [None]
        if scope is not None:
            chosen_scope = {k: v for k, v in scope.items() if f"{{{k}}}" in operation.path}
            if chosen_scope:
                scopes.append(chosen_scope)
        has_input = any(len(x.items) for x in (operation.path_parameters, operation.query))
        has_input = has_input or bool(operation.body.items)
        modes = (
            list(schemathesis.GenerationMode)
            if has_input
            else [schemathesis.GenerationMode.POSITIVE]
        )
        for mode in modes:
            for chosen in scopes:
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=chosen)

                @run
                @given(case=strategy)
                def call(case: schemathesis.Case) -> None:
                    nonlocal sent
                    sent += 1
                    r = case.call(base_url=base_url, timeout=60, headers=headers)
                    where = (case.method, case.formatted_path, case.query, case.body)
                    assert r.status_code < 500, (where, r.text[:300])
                    if r.status_code >= 400:
                        assert isinstance(r.json().get("detail"), str), (where, r.text[:300])

                try:
                    call()
                except Unsatisfiable:  # a mode schemathesis cannot make cases for here
                    skipped.append(f"{operation.label} {mode.value}")
    if skipped:
        print(f"fuzz: no cases could be made for {', '.join(skipped)}")
    return {op.label for op in operations}, sent
