"""The store's tables and views.

Every row of ``entities`` and ``statements`` is valid over a range of a dataset's
versions: from ``valid_from`` (the version sequence number that first had it) up to but
not including ``valid_to`` (NULL while it is current). That is enough to rebuild any
version of any list and to diff any two.

Tables are created with IF NOT EXISTS whenever a store is opened for writing, so a table
added later (``suppressions``) appears in existing stores without a schema change, and
``MIGRATIONS`` adds the columns a table gained later; readers of such a table or column
check that it exists.
"""

from __future__ import annotations

SCHEMA_VERSION = "1"

TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    dataset VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    published TIMESTAMP,  -- UTC
    loaded_at TIMESTAMP NOT NULL,  -- UTC
    parser VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    files JSON NOT NULL,
    warnings JSON NOT NULL,
    entity_count INTEGER NOT NULL,
    statement_count INTEGER NOT NULL,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    PRIMARY KEY (dataset, seq)
);
CREATE TABLE IF NOT EXISTS entities (
    dataset VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    caption VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    line INTEGER,
    valid_from INTEGER NOT NULL,
    valid_to INTEGER
);
CREATE TABLE IF NOT EXISTS statements (
    dataset VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    prop VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    original VARCHAR,
    qualifier VARCHAR,
    is_ref BOOLEAN NOT NULL,
    stmt_key VARCHAR NOT NULL,
    valid_from INTEGER NOT NULL,
    valid_to INTEGER
);
-- Analysts' decisions that a (query, listed entity) pair was reviewed and is not a
-- match, keyed by the query's id or its normalised name (hermit/screening/suppressions).
-- facts: the reviewed query's facts as a JSON object (field -> text); dataset, list_seq,
-- entity_fingerprint: the listed entity's state when decided. All four are NULL in rows
-- recorded before they were kept (such a decision no longer applies). Never part of a
-- list version: recording or removing one leaves the lists as they are. A replaced or
-- removed decision keeps its row (removed_by, removed_at) as the audit trail.
CREATE TABLE IF NOT EXISTS suppressions (
    entity_id VARCHAR NOT NULL,
    query_id VARCHAR,
    query_name VARCHAR,
    name_key VARCHAR,
    decided_by VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL,  -- UTC
    reason VARCHAR NOT NULL,
    removed_by VARCHAR,
    removed_at TIMESTAMP,  -- UTC; NULL while the decision stands
    facts JSON,
    dataset VARCHAR,
    list_seq INTEGER,
    entity_fingerprint VARCHAR,
    CHECK ((query_id IS NULL) <> (name_key IS NULL))
);
-- API keys of the HTTP service (hermit/api/keys.py): only each key's SHA-256 is kept.
-- A revoked key keeps its row (revoked_at, revoked_by).
CREATE TABLE IF NOT EXISTS api_keys (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    hash VARCHAR NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,  -- UTC
    created_by VARCHAR NOT NULL,
    revoked_at TIMESTAMP,  -- UTC; NULL while the key is valid
    revoked_by VARCHAR
);
-- The HTTP service's record of every request that writes, accepted or refused
-- (hermit/api/audit.py). Append-only: hermit's code inserts rows and never updates or
-- deletes one.
CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    seq BIGINT NOT NULL DEFAULT nextval('audit_seq'),
    logged_at TIMESTAMP NOT NULL,  -- UTC
    key_id VARCHAR,
    key_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    method VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    query VARCHAR NOT NULL,
    status INTEGER NOT NULL,
    client VARCHAR,
    summary VARCHAR
);
-- Batch screening jobs of the HTTP service (hermit/api/jobs.py): one row per uploaded
-- file, with its status (queued | running | done | failed), counts and run record; the
-- files themselves are in the service's job folder.
CREATE TABLE IF NOT EXISTS jobs (
    id VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,  -- UTC
    created_by VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    input_format VARCHAR NOT NULL,
    output_format VARCHAR NOT NULL,
    candidate_limit INTEGER NOT NULL,
    upload_bytes BIGINT NOT NULL,
    status VARCHAR NOT NULL,
    estimated_rows BIGINT,
    rows_read BIGINT NOT NULL DEFAULT 0,
    screened BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    alerts BIGINT NOT NULL DEFAULT 0,
    matches BIGINT NOT NULL DEFAULT 0,
    candidates BIGINT NOT NULL DEFAULT 0,
    error VARCHAR,
    started_at TIMESTAMP,  -- UTC
    finished_at TIMESTAMP,  -- UTC
    algorithm VARCHAR,
    lists JSON,
    run_record JSON
);
-- Counts added later (a store made before gets them when next opened for writing):
-- rows screened with a field set aside or assumed, rows where nothing reached the floor.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS with_warnings BIGINT DEFAULT 0;
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS clear BIGINT DEFAULT 0;
"""

# Columns added to tables of existing stores (run after TABLES when a store is opened for
# writing; a reader of a store not yet migrated reads them as NULL).
MIGRATIONS = """
ALTER TABLE suppressions ADD COLUMN IF NOT EXISTS facts JSON;
ALTER TABLE suppressions ADD COLUMN IF NOT EXISTS dataset VARCHAR;
ALTER TABLE suppressions ADD COLUMN IF NOT EXISTS list_seq INTEGER;
ALTER TABLE suppressions ADD COLUMN IF NOT EXISTS entity_fingerprint VARCHAR;
-- A job belongs to the key that uploaded it (its id; a key's name is not unique). Jobs
-- recorded before get the one key that ever had their creator's name, once (the meta
-- row says it was done); where several keys had it, none: only administrators see them.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS owner_key_id VARCHAR;
UPDATE jobs SET owner_key_id = (SELECT min(k.id) FROM api_keys k WHERE k.name = jobs.created_by)
WHERE owner_key_id IS NULL
  AND (SELECT count(*) FROM api_keys k WHERE k.name = jobs.created_by) = 1
  AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'migrated:jobs.owner_key_id');
INSERT INTO meta VALUES ('migrated:jobs.owner_key_id', 'filled') ON CONFLICT DO NOTHING;
"""

# Views over what is current: the names, identifiers and relations the screening,
# network and report layers read.
VIEWS = """
CREATE OR REPLACE VIEW current_entities AS
    SELECT * EXCLUDE (valid_to) FROM entities WHERE valid_to IS NULL;
CREATE OR REPLACE VIEW current_statements AS
    SELECT * EXCLUDE (valid_to, stmt_key) FROM statements WHERE valid_to IS NULL;
CREATE OR REPLACE VIEW names AS
    SELECT s.dataset, s.entity_id, e.schema, s.prop AS kind, s.value AS name, s.qualifier
    FROM current_statements s JOIN current_entities e USING (dataset, entity_id)
    WHERE s.prop IN ('name', 'alias', 'weakAlias', 'previousName');
CREATE OR REPLACE VIEW identifiers AS
    SELECT s.dataset, s.entity_id, e.schema, s.prop AS kind, s.value AS identifier,
           s.qualifier
    FROM current_statements s JOIN current_entities e USING (dataset, entity_id)
    WHERE s.prop IN ('passportNumber', 'idNumber', 'registrationNumber', 'imoNumber',
                     'mmsi', 'callSign', 'taxNumber', 'swiftBic', 'serialNumber');
CREATE OR REPLACE VIEW relations AS
    SELECT s.dataset, s.entity_id AS source_id, e.schema AS source_schema, s.prop,
           s.value AS target_id
    FROM current_statements s JOIN current_entities e USING (dataset, entity_id)
    WHERE s.is_ref;
"""
