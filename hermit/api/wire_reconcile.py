"""What the reconciliation service API (version 0.2, the protocol OpenRefine speaks)
sends and receives: the manifest, query batches, candidates, suggestions.

The shapes follow the W3C community group's 0.2 schemas and yente's ``freebase`` models,
so OpenRefine, and a client written against yente's /reconcile, read them unchanged.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hermit.api.wire import QueryWarningModel

#: A property value as the protocol allows it: text, a number, or an already
#: reconciled entity ({"id": ..., "name": ...}); or a list of those.
PropertyValue = str | int | float | bool | dict[str, Any] | None


class ReconType(BaseModel):
    id: str = Field(..., examples=["Person"])
    name: str = Field(..., examples=["Person"])
    description: str | None = None


class ReconPropertyDoc(BaseModel):
    id: str = Field(..., examples=["birthDate"])
    name: str = Field(..., examples=["Birth date"])
    description: str | None = None


class ReconFeature(BaseModel):
    """One screening feature's signed contribution to the candidate's score."""

    id: str = Field(..., examples=["name"])
    value: float = Field(..., examples=[0.72])


class ReconEntity(BaseModel):
    id: str = Field(..., examples=["unsc-kpi-024"])
    name: str = Field(..., examples=["KIM YONG CHOL"])
    description: str | None = Field(None, examples=["Person · un_sc_sanctions · born 1962-02-18"])
    type: list[ReconType]


class ReconCandidate(ReconEntity):
    score: float = Field(
        ...,
        examples=[0.97],
        description="hermit's screening score, 0 to 1 as yente gives it (match at 0.80).",
    )
    match: bool = Field(
        ...,
        description="The score reaches the threshold and the pair is not a reviewed "
        "non-match: OpenRefine may match the cell automatically.",
    )
    features: list[ReconFeature] = Field(default_factory=list)


class ReconResult(BaseModel):
    result: list[ReconCandidate]
    warnings: list[QueryWarningModel] = Field(
        default_factory=list,
        description="hermit: what was set aside or assumed in reading the query",
    )


class ReconPropertyQuery(BaseModel):
    pid: str = Field(..., examples=["birthDate"])
    v: PropertyValue | list[PropertyValue] = Field(..., examples=["1962-02-18"])


class ReconQuery(BaseModel):
    """One query of a batch: a name, an optional type and properties refining it."""

    model_config = ConfigDict(extra="ignore")

    query: str | None = Field(None, max_length=500, examples=["Kim Yong Chol"])
    type: str | list[str] | None = Field(None, examples=["Person"])
    limit: int | None = Field(None, ge=1, le=50)
    properties: list[ReconPropertyQuery] = Field(default_factory=list, max_length=30)
    type_strict: str | None = None


class SuggestResponseBase(BaseModel):
    code: str = "/api/status/ok"
    status: str = "200 OK"
    prefix: str


class SuggestEntityResponse(SuggestResponseBase):
    result: list[ReconEntity]


class SuggestTypeResponse(SuggestResponseBase):
    result: list[ReconType]


class SuggestPropertyResponse(SuggestResponseBase):
    result: list[ReconPropertyDoc]


class ManifestView(BaseModel):
    url: str = Field(..., examples=["http://127.0.0.1:8000/ui/entities/{{id}}"])


class ManifestPreview(BaseModel):
    url: str
    width: int
    height: int


class ManifestService(BaseModel):
    service_url: str
    service_path: str


class ManifestSuggest(BaseModel):
    entity: ManifestService
    type: ManifestService
    property: ManifestService


class Manifest(BaseModel):
    versions: list[str] = Field(default_factory=lambda: ["0.2"])
    name: str
    identifierSpace: str
    schemaSpace: str
    documentation: str | None = None
    serviceVersion: str | None = None
    batchSize: int | None = None
    view: ManifestView
    preview: ManifestPreview
    suggest: ManifestSuggest
    defaultTypes: list[ReconType]
