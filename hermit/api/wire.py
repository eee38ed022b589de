"""What goes over HTTP, kept apart from the internal model.

The shapes follow OpenSanctions' yente API (``EntityResponse``, ``EntityMatchQuery``,
``EntityMatchResponse``, ``SearchResponse``, ``DataCatalogModel``, ``AlgorithmResponse``)
so a client written against yente reads hermit's answers unchanged; hermit's additions
(explanations with reasons, suppression, provenance, list versions) are extra fields a
yente client ignores.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Entity properties: values are strings, or nested entities where a response embeds them.
EntityProperties = dict[str, list[Any]]


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["body.queries.q1.schema: Field required"])


class StatusResponse(BaseModel):
    status: str = "ok"


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["unsc-kpi-024"])
    caption: str = Field(..., examples=["KIM JONG UN"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: EntityProperties = Field(default_factory=dict)
    datasets: list[str] = Field(default_factory=list, examples=[["un_sc_sanctions"]])
    referents: list[str] = Field(default_factory=list)
    target: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class FeatureExplanation(BaseModel):
    """One feature's part of a score, with the reason an analyst reads."""

    score: float
    detail: str


class ScoredEntityResponse(EntityResponse):
    score: float
    features: dict[str, float] = Field(
        default_factory=dict, description="Each feature's signed contribution; they sum to score."
    )
    explanations: dict[str, FeatureExplanation] = Field(default_factory=dict)
    match: bool = Field(
        False, description="score >= threshold and the pair is not a reviewed non-match"
    )
    suppressed: str | None = Field(
        None, description="The analyst's decision when this pair was reviewed as not a match."
    )
    lapsed: str | None = Field(
        None,
        description="A reviewed not-a-match decision on this pair that no longer applies "
        "(the query's facts or the listed entity changed since), and why: the pair alerts.",
    )


class EntityExample(BaseModel):
    """A query entity: a FollowTheMoney schema and properties (value or list of values)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, examples=["customer-1042"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(
        ..., examples=[{"name": ["Kim Yong Chol"], "birthDate": ["1946"]}]
    )


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


class QueryWarningModel(BaseModel):
    """A value of a query that was set aside (not used) or read with an assumption."""

    property: str = Field(..., examples=["birthDate"], description="The property (or schema)")
    field: str = Field(..., examples=["birth_date"], description="The screening field")
    value: str = Field(..., examples=["1974-01-32"])
    message: str = Field(..., examples=["there is no day 32 in January 1974 (it has 31 days)"])
    set_aside: bool = Field(True, description="True: not used; false: used as the message says")


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample
    warnings: list[QueryWarningModel] = Field(
        default_factory=list,
        description="hermit: what was set aside or assumed in reading the query",
    )


class FeatureDoc(BaseModel):
    description: str
    coefficient: float = 1.0
    url: str = ""


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int
    algorithm: str = Field(..., examples=["hermit-screen@5"])
    lists: list[dict[str, Any]] = Field(
        default_factory=list, description="The list versions the results were screened against."
    )


class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchHit(EntityResponse):
    """A search result: the entity, and how the search found it."""

    score: float | None = Field(
        None,
        description="The screening engine's score of the entity for the query (its name, "
        "with a partial last word completed, and the IMO number when given); none when "
        "browsing without a query",
    )
    matched: str | None = Field(
        None,
        examples=["name"],
        description="name: the name as typed; prefix: its last word begins a listed word "
        "(see completed); imo: the IMO number is the entity's",
    )
    completed: str | None = Field(
        None, examples=["ocean maritime"], description="The name scored, when completed"
    )


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[SearchHit]
    facets: dict[str, SearchFacet] = Field(default_factory=dict)


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool = True
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = True
    children: list[str] = Field(default_factory=list)
    # hermit's additions
    seq: int | None = None
    published: str | None = None
    loaded_at: str | None = None
    sha256: str | None = None
    entity_count: int | None = None
    added: int | None = None
    removed: int | None = None
    changed: int | None = None


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str] = Field(default_factory=list)
    index_stale: bool = False


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]
    threshold: float | None = None


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str
    #: hermit: every named algorithm the scorer is built from (family -> name@version),
    #: the SHA-256 of the reviewed tables and the versions of libraries with tables.
    components: dict[str, str] = {}
    resources_sha256: str | None = None
    libraries: dict[str, str] = {}


class VersionRef(BaseModel):
    dataset: str
    seq: int
    label: str
    loaded_at: str


class LinkedPartyModel(BaseModel):
    """A party the entity is linked to, or that is linked to it, named: through a link
    entity (OFAC's "Linked To" is an UnknownLink, others Ownership, Directorship ...)
    or a direct reference."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["ofac-17068"])
    caption: str = Field(..., examples=["OCEAN MARITIME MANAGEMENT COMPANY LIMITED"])
    schema_: str = Field(..., alias="schema", examples=["Organization"])
    datasets: list[str]
    relation: str = Field(..., examples=["linked to"], description="The link read from its source")
    direction: Literal["outgoing", "incoming"] = Field(
        ..., description="outgoing: this entity is the link's source; incoming: the party is"
    )
    phrase: str = Field(..., examples=["linked to this"], description="The link read from here")
    via: str | None = Field(None, description="The link entity's id (none: a direct reference)")
    via_schema: str | None = None
    details: list[str] = Field(default_factory=list, description="What the link says: role ...")


class EntityDetail(EntityResponse):
    """An entity with its related entities nested in its properties (yente's
    ``nested=true``) and hermit's provenance: where it was read from and in which list
    versions it was first seen and last changed."""

    provenance: dict[str, Any] = Field(default_factory=dict)
    qualifiers: list[list[str]] = Field(
        default_factory=list,
        description="[property, value, qualifier] (alias quality, date precision)",
    )
    first_seen_version: VersionRef | None = None
    last_change_version: VersionRef | None = None
    current_version: VersionRef | None = None
    links: list[LinkedPartyModel] = Field(
        default_factory=list,
        description="The parties it is linked to and that are linked to it, named, in both "
        "directions (each link entity resolved to the party at its other end)",
    )


class ListVersionModel(BaseModel):
    """One stored version of one list, with what its load changed."""

    dataset: str
    seq: int
    title: str
    label: str
    published: str | None = None
    loaded_at: str
    parser: str
    sha256: str
    files: list[dict[str, Any]] = Field(default_factory=list)
    entity_count: int
    statement_count: int
    added: int
    removed: int
    changed: int
    current: bool = Field(False, description="The newest version of its list.")
    changes_url: str


class ListsResponse(BaseModel):
    versions: list[ListVersionModel]


class EntityChangeModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    entity_id: str
    change: str = Field(..., examples=["added"], description="added, removed or changed")
    schema_: str = Field(..., alias="schema")
    caption: str
    added: dict[str, list[str]] = Field(default_factory=dict, description="Values gained")
    removed: dict[str, list[str]] = Field(default_factory=dict, description="Values lost")
    programs: list[str] = Field(
        default_factory=list,
        description="The sanctions programs of the listed party it is or belongs to",
    )
    parts: list[EntityChangeModel] = Field(
        default_factory=list,
        description="With parties=true: the changes of the party's addresses, documents, "
        "sanctions and links",
    )


class ListChangesResponse(BaseModel):
    dataset: str
    from_version: ListVersionModel | None
    to_version: ListVersionModel
    counts: dict[str, int] = Field(
        default_factory=dict, description="Changes by kind among those the filters keep"
    )
    total: TotalSpec
    limit: int
    offset: int
    results: list[EntityChangeModel]
