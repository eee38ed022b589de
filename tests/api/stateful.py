"""A stateful schemathesis run of the HTTP API: sequences of calls generated from the
service's own /openapi.json, each call's ids taken from earlier answers along the links
schemathesis finds between the operations (POST /jobs -> GET /jobs/{job_id}, its result
and rejects, DELETE; POST /suppressions -> DELETE /suppressions/{entity_id}; GET
/admin/keys -> DELETE /admin/keys/{key_id}), derandomized so a run sends the same
sequences every time. No call may get a 5xx, every 4xx is JSON with a ``detail``, and
the answers must conform to the schema (status code, content type, body). Used by
tests/api/test_stateful.py (a small budget) and bench/api/stateful.py (a bigger one)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

#: Operations left out: a list load through the API (minutes of rebuilding per call);
#: asking for a report (each starts a report process: seconds of CPU a call, run after
#: the sequence ends; tests/api/test_reports_api.py tests them).
EXCLUDED = r"^/admin/lists$|^/reports/(kims|dossier|compliance)$"
REVOKE = r"^/admin/keys/"
#: Checks left out: "schema-valid data is accepted". A schema-valid body can name an
#: entity the store does not hold (POST /suppressions with a random entity_id), which the
#: service refuses with 400 naming the id; no OpenAPI schema can say which ids exist.
#: Status codes, content types and bodies are still checked against the schema.
EXCLUDED_CHECKS = [positive_data_acceptance]


def run_stateful(
    base_url: str, headers: dict[str, str], *, examples: int, steps: int
) -> Counter[tuple[str, str, int]]:
    """``examples`` sequences of at most ``steps`` calls each against the service at
    ``base_url`` (``headers`` with every call: an administrator's key). Returns how many
    calls each (method, path template, status) had; a bad answer raises."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    schema = schema.exclude(path_regex=EXCLUDED)
    # revoking a key: the run would revoke its own and get 401 for the rest of it
    # (revocation has its own tests, tests/api/test_keys*.py)
    schema = schema.exclude(method="DELETE", path_regex=REVOKE)
    calls: Counter[tuple[str, str, int]] = Counter()
    machine: Any = schema.as_state_machine()

    class Machine(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"base_url": base_url, "headers": headers, "timeout": 120}

        def validate_response(  # type: ignore[override]
            self, response: Any, case: schemathesis.Case, **kwargs: Any
        ) -> None:
            status = int(response.status_code)
            calls[(case.method, case.path, status)] += 1
            where = (case.method, case.formatted_path, case.query, str(case.body)[:200])
            assert status < 500, (where, response.text[:300])
            if status >= 400:
                assert isinstance(response.json().get("detail"), str), (where, response.text[:300])
            case.validate_response(
                response, excluded_checks=EXCLUDED_CHECKS, transport_kwargs=kwargs
            )

    Machine.run(
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    return calls
