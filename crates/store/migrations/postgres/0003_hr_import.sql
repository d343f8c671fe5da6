-- HR import: the saved column mapping per municipality and a record of every import.
-- Keep this file and sqlite/0003_hr_import.sql in step.

CREATE TABLE hr_column_mapping (
    municipality_id BIGINT PRIMARY KEY REFERENCES municipality(id),
    mapping_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- status: 'previewed', 'applied' or 'undone'. `content` holds the uploaded file until it is applied (the apply
-- re-reads it so a stale preview cannot write stale data); `plan_json` holds the preview's plan, and after the
-- apply the plan that was applied with the values needed to undo it.
CREATE TABLE hr_import (
    id BIGSERIAL PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipality(id),
    actor_person_id BIGINT,
    created_at BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    status TEXT NOT NULL,
    mapping_json TEXT NOT NULL,
    content BYTEA,
    summary_json TEXT NOT NULL,
    plan_json TEXT NOT NULL,
    applied_at BIGINT,
    undone_at BIGINT
);
CREATE INDEX hr_import_municipality ON hr_import(municipality_id, id);
