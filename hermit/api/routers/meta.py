"""Health, readiness, the catalog of loaded lists and the algorithms."""

from __future__ import annotations

import os
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from hermit.api.auth import reader
from hermit.api.deps import ALL_LISTS, get_snapshot, get_state
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState, Snapshot
from hermit.api.wire import (
    Algorithm,
    AlgorithmResponse,
    DataCatalogModel,
    DatasetModel,
    FeatureDoc,
    StatusResponse,
)
from hermit.screening import algorithms as named
from hermit.screening import scorer

router = APIRouter(tags=["System information"], route_class=CheckedRoute)


@router.get("/healthz", response_model=StatusResponse)
def healthz() -> StatusResponse:
    """The process answers."""
    return StatusResponse(status="ok")


@router.get("/readyz", response_model=StatusResponse, responses={503: {"model": StatusResponse}})
def readyz(state: Annotated[ServiceState, Depends(get_state)], response: Response) -> Any:
    """The screening index is built and requests can be answered. `X-Hermit-Process`
    names the process that answered (with `hermit serve --workers N`, each worker
    accepts connections once its own index is read)."""
    process = {"X-Hermit-Process": str(os.getpid())}
    if not state.ready:
        return JSONResponse(
            {"status": "building"}, status_code=503, headers={"Retry-After": "5", **process}
        )
    response.headers.update(process)
    return StatusResponse(status="ok")


def feature_docs() -> dict[str, FeatureDoc]:
    return {name: FeatureDoc(description=text) for name, text in scorer.FEATURES.items()}


@router.get("/algorithms", response_model=AlgorithmResponse)
def algorithms() -> AlgorithmResponse:
    """The scoring algorithm, its threshold and its features."""
    algo = Algorithm(
        name=scorer.ALGORITHM,
        description=(
            "hermit's pair scorer: the sum of named features' signed contributions "
            f"(match at {scorer.THRESHOLD:.2f}, reported from {scorer.REPORT_FLOOR:.2f})."
        ),
        features=feature_docs(),
        threshold=scorer.THRESHOLD,
    )
    return AlgorithmResponse(
        algorithms=[algo],
        default=algo.name,
        best=algo.name,
        components=named.algorithms(),
        resources_sha256=named.resources_digest(),
        libraries=named.library_versions(),
    )


@router.get("/catalog", response_model=DataCatalogModel, dependencies=[Depends(reader)])
def catalog(snapshot: Annotated[Snapshot, Depends(get_snapshot)]) -> DataCatalogModel:
    """The loaded lists, each at its current version, and the collections over them."""
    models = []
    for v in snapshot.versions:
        models.append(
            DatasetModel(
                name=v.dataset,
                title=v.title,
                version=f"{v.seq}",
                index_version=f"{v.seq}",
                seq=v.seq,
                published=v.published.isoformat() if v.published else None,
                loaded_at=v.loaded_at.isoformat(),
                sha256=v.content_sha256,
                entity_count=v.entity_count,
                added=v.added,
                removed=v.removed,
                changed=v.changed,
                entities_url=f"/search/{v.dataset}",
            )
        )
    names = [m.name for m in models]
    for collection in ALL_LISTS:
        models.append(
            DatasetModel(
                name=collection,
                title="All loaded lists",
                version="+".join(f"{v.dataset}.{v.seq}" for v in snapshot.versions),
                children=names,
                entity_count=sum(v.entity_count for v in snapshot.versions),
            )
        )
    return DataCatalogModel(datasets=models, current=[m.name for m in models])
