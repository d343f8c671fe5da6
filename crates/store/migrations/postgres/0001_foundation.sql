-- Foundation: organisation, people, accounts, sessions, tokens, audit log, outbox.
-- Times are unix seconds (UTC) in BIGINT columns; dates are ISO 'YYYY-MM-DD' text.
-- Keep this file and sqlite/0001_foundation.sql in step.

CREATE TABLE region (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE municipality (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES region(id),
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    county TEXT NOT NULL DEFAULT '',
    language_form TEXT NOT NULL,
    population BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX municipality_region ON municipality(region_id, name_sort);

CREATE TABLE unit (
    id BIGSERIAL PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipality(id),
    parent_id BIGINT REFERENCES unit(id),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    code TEXT,
    path TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    closed_at BIGINT,
    UNIQUE (municipality_id, code)
);
CREATE INDEX unit_path ON unit(path);
CREATE INDEX unit_parent ON unit(municipality_id, parent_id);

CREATE TABLE unit_history (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    at BIGINT NOT NULL,
    actor_person_id BIGINT,
    change TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX unit_history_unit ON unit_history(unit_id, at);

CREATE TABLE person (
    id BIGSERIAL PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipality(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    given_sort TEXT COLLATE "C" NOT NULL,
    email TEXT COLLATE "C",
    mobile TEXT,
    employee_number TEXT COLLATE "C",
    source TEXT NOT NULL DEFAULT 'manual',
    created_at BIGINT NOT NULL,
    left_at BIGINT,
    UNIQUE (municipality_id, employee_number)
);
CREATE INDEX person_name_sort ON person(name_sort, id);
CREATE INDEX person_given_sort ON person(given_sort);
CREATE INDEX person_municipality_sort ON person(municipality_id, name_sort, id);
CREATE INDEX person_email ON person(email);
CREATE INDEX person_employee_number ON person(employee_number);

CREATE TABLE person_role_group (
    person_id BIGINT NOT NULL REFERENCES person(id),
    role_group TEXT NOT NULL,
    PRIMARY KEY (person_id, role_group)
);
CREATE INDEX person_role_group_group ON person_role_group(role_group, person_id);

CREATE TABLE employment (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES person(id),
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    position_title TEXT,
    position_code TEXT,
    percent DOUBLE PRECISION,
    start_date TEXT,
    end_date TEXT
);
CREATE INDEX employment_person ON employment(person_id);
CREATE INDEX employment_unit ON employment(unit_id, person_id);

-- A role held for a scope: region, municipality or unit (subtree); none of them = system.
CREATE TABLE role_grant (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES person(id),
    role TEXT NOT NULL,
    region_id BIGINT REFERENCES region(id),
    municipality_id BIGINT REFERENCES municipality(id),
    unit_id BIGINT REFERENCES unit(id),
    source TEXT NOT NULL DEFAULT 'manual',
    granted_at BIGINT NOT NULL
);
CREATE INDEX role_grant_person ON role_grant(person_id);

CREATE TABLE account (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL UNIQUE REFERENCES person(id),
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    locale TEXT,
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);

-- Logins through OpenID Connect (ID-porten, Feide, Entra ID) map issuer+subject to an account.
CREATE TABLE external_identity (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES account(id),
    PRIMARY KEY (issuer, subject)
);

CREATE TABLE login_session (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account(id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX login_session_account ON login_session(account_id);

CREATE TABLE api_token (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_person_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    region_id BIGINT,
    municipality_id BIGINT,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_scope ON audit_log(municipality_id, at);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
