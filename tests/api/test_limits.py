"""Request size and rate limits on the real service (small limits of its own): 413 from a
declared length and from a chunked body as it streams, 429 with Retry-After per client,
and the refusals of writes in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hermit.api.limits import RateLimiter
from tests.api.conftest import Service
from tests.api.keyed import MATCH_BODY, auth, launch_keyed

MAX_BODY = 10_000
MAX_UPLOAD = 100_000
RATE = 20


@pytest.fixture(scope="module")
def limited(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, dict[str, str]]]:
    svc, tokens = launch_keyed(
        lists_store,
        tmp_path_factory.mktemp("limits"),
        max_body_bytes=MAX_BODY,
        max_upload_bytes=MAX_UPLOAD,
        rate_per_minute=RATE,
    )
    yield svc, tokens
    svc.stop()


def _big_match_body() -> bytes:
    names = [f"Name Number {i}" for i in range(1000)]
    body = (
        '{"queries": {"q": {"schema": "Person", "properties": {"name": '
        + str(names).replace("'", '"')
        + "}}}}"
    )
    assert len(body) > MAX_BODY
    return body.encode()


def _chunks(data: bytes, size: int = 1000) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_a_declared_length_over_the_limit_is_413(limited: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = limited
    with svc.client() as c:
        r = c.post(
            "/match/default",
            content=_big_match_body(),
            headers={"Content-Type": "application/json", **auth(tokens["wes"])},
        )
    assert r.status_code == 413
    assert r.json()["detail"] == f"request body too large: at most {MAX_BODY} bytes here"


def test_a_chunked_body_is_cut_off_at_the_limit(limited: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = limited
    headers = {"Content-Type": "application/json", **auth(tokens["wes"])}
    with svc.client() as c:
        r = c.post("/match/default", content=_chunks(_big_match_body()), headers=headers)
        # the same stream under the limit goes through
        small = c.post(
            "/match/default",
            content=_chunks(str(MATCH_BODY).replace("'", '"').encode(), 16),
            headers=headers,
        )
    assert r.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in r.request.headers
    assert r.status_code == 413
    assert r.json()["detail"] == f"request body too large: at most {MAX_BODY} bytes here"
    assert small.status_code == 200, small.text
    assert small.json()["responses"]["q"]["results"]


def test_refused_big_writes_are_audited(limited: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = limited
    body = b'{"entity_id": "ofac-12211", "query_name": "x", "reason": "' + b"y" * MAX_BODY + b'"}'
    headers = {"Content-Type": "application/json", **auth(tokens["wes"])}
    with svc.client() as c:
        declared = c.post("/suppressions", content=body, headers=headers)
        chunked = c.post("/suppressions", content=_chunks(body), headers=headers)
        log = c.get("/admin/audit", params={"limit": 2}, headers=auth(tokens["ada"])).json()
    assert declared.status_code == chunked.status_code == 413
    assert [(e["status"], e["key_name"], e["summary"]) for e in log["results"]] == [
        (413, "wes", f"refused: body over {MAX_BODY} bytes"),
        (413, "wes", f"refused: body of {len(body)} bytes, limit {MAX_BODY}"),
    ]


def test_uploads_have_their_own_limit(limited: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = limited
    over_body = b'{"id": "x"}\n' * (MAX_BODY // 10)  # over the JSON limit, under the upload one
    over_upload = b'{"id": "x"}\n' * (MAX_UPLOAD // 10)
    with svc.client() as c:
        allowed = c.post(
            "/admin/lists",
            files={"files": ("big.ftm.json", over_body)},
            headers=auth(tokens["wes"]),
        )
        refused = c.post(
            "/admin/lists",
            files={"files": ("huge.ftm.json", over_upload)},
            headers=auth(tokens["wes"]),
        )
    # read (and refused for its content: no schema), not stopped by the JSON limit
    assert allowed.status_code == 400, allowed.text
    assert allowed.json()["detail"].startswith("big.ftm.json")
    assert refused.status_code == 413
    assert refused.json()["detail"] == f"request body too large: at most {MAX_UPLOAD} bytes here"


def test_over_the_rate_is_429_with_retry_after_per_client(
    limited: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = limited
    rita = auth(tokens["rita"])  # a bucket of its own: no other test here uses rita
    with svc.client() as c:
        statuses = []
        for _ in range(RATE * 2):
            r = c.get("/catalog", headers=rita)
            statuses.append(r.status_code)
            if r.status_code == 429:
                break
        assert statuses[:RATE] == [200] * RATE  # a minute's worth at once is allowed
        assert statuses[-1] == 429
        assert 1 <= int(r.headers["retry-after"]) <= 60 // RATE + 1
        assert r.json()["detail"].startswith(f"too many requests: at most {RATE} a minute")
        # another key has its own bucket; probes are never limited
        assert c.get("/catalog", headers=auth(tokens["ada"])).status_code == 200
        assert all(c.get("/healthz", headers=rita).status_code == 200 for _ in range(5))
        # a refused write is audited as such
        write = c.post(
            "/suppressions",
            json={"entity_id": "ofac-12211", "query_name": "x", "reason": "y"},
            headers=rita,
        )
        assert write.status_code == 429
        entry = c.get("/admin/audit", params={"limit": 1}, headers=auth(tokens["ada"])).json()
    assert entry["results"][0]["status"] == 429
    assert entry["results"][0]["key_name"] == "rita"
    assert entry["results"][0]["summary"] == f"refused: over {RATE} requests/minute"


class ManualClock:
    """Time that moves only when told (the bucket's arithmetic, not the wall clock)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("in_file", [False, True])
def test_token_bucket_refills_continuously(tmp_path: Path, in_file: bool) -> None:
    clock = ManualClock()
    path = tmp_path / "store.duckdb.rates.sqlite" if in_file else None
    limiter = RateLimiter(60, path, clock)  # one a second
    assert all(limiter.take("a") is None for _ in range(60))
    wait = limiter.take("a")
    assert wait is not None and wait == pytest.approx(1.0)
    assert limiter.take("b") is None  # clients do not share a bucket
    clock.now += 0.5
    wait = limiter.take("a")
    assert wait is not None and wait == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.take("a") is None
    assert limiter.take("a") is not None
    clock.now += 3600  # a long pause refills to a minute's worth, never more
    assert all(limiter.take("a") is None for _ in range(60))
    assert limiter.take("a") is not None
    # idle clients are forgotten
    assert limiter.clients() == {"a"}


def test_processes_on_one_file_share_the_buckets(tmp_path: Path) -> None:
    """Two limiters on the same file (two worker processes of one service) spend the
    same buckets: together they allow a client its limit once, not twice."""
    clock = ManualClock()
    path = tmp_path / "store.duckdb.rates.sqlite"
    first, second = RateLimiter(10, path, clock), RateLimiter(10, path, clock)
    allowed = [(first if i % 2 else second).take("a") is None for i in range(20)]
    assert allowed == [True] * 10 + [False] * 10
    assert RateLimiter(10, tmp_path / "other.sqlite", clock).take("a") is None
