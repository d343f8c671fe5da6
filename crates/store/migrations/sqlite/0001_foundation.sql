-- Foundation: organisation, people, accounts, sessions, tokens, audit log, outbox.
-- Times are unix seconds (UTC) in INTEGER columns; dates are ISO 'YYYY-MM-DD' text.
-- Keep this file and postgres/0001_foundation.sql in step.

CREATE TABLE region (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE municipality (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES region(id),
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_sort TEXT NOT NULL,
    county TEXT NOT NULL DEFAULT '',
    language_form TEXT NOT NULL,
    population INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX municipality_region ON municipality(region_id, name_sort);

CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipality(id),
    parent_id INTEGER REFERENCES unit(id),
    name TEXT NOT NULL,
    name_sort TEXT NOT NULL,
    code TEXT,
    path TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    closed_at INTEGER,
    UNIQUE (municipality_id, code)
);
CREATE INDEX unit_path ON unit(path);
CREATE INDEX unit_parent ON unit(municipality_id, parent_id);

CREATE TABLE unit_history (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    at INTEGER NOT NULL,
    actor_person_id INTEGER,
    change TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX unit_history_unit ON unit_history(unit_id, at);

CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipality(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    name_sort TEXT NOT NULL,
    given_sort TEXT NOT NULL,
    email TEXT,
    mobile TEXT,
    employee_number TEXT,
    source TEXT NOT NULL DEFAULT 'manual',
    created_at INTEGER NOT NULL,
    left_at INTEGER,
    UNIQUE (municipality_id, employee_number)
);
CREATE INDEX person_name_sort ON person(name_sort, id);
CREATE INDEX person_given_sort ON person(given_sort);
CREATE INDEX person_municipality_sort ON person(municipality_id, name_sort, id);
CREATE INDEX person_email ON person(email);
CREATE INDEX person_employee_number ON person(employee_number);

CREATE TABLE person_role_group (
    person_id INTEGER NOT NULL REFERENCES person(id),
    role_group TEXT NOT NULL,
    PRIMARY KEY (person_id, role_group)
);
CREATE INDEX person_role_group_group ON person_role_group(role_group, person_id);

CREATE TABLE employment (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    position_title TEXT,
    position_code TEXT,
    percent REAL,
    start_date TEXT,
    end_date TEXT
);
CREATE INDEX employment_person ON employment(person_id);
CREATE INDEX employment_unit ON employment(unit_id, person_id);

-- A role held for a scope: region, municipality or unit (subtree); none of them = system.
CREATE TABLE role_grant (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    role TEXT NOT NULL,
    region_id INTEGER REFERENCES region(id),
    municipality_id INTEGER REFERENCES municipality(id),
    unit_id INTEGER REFERENCES unit(id),
    source TEXT NOT NULL DEFAULT 'manual',
    granted_at INTEGER NOT NULL
);
CREATE INDEX role_grant_person ON role_grant(person_id);

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL UNIQUE REFERENCES person(id),
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    locale TEXT,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
);

-- Logins through OpenID Connect (ID-porten, Feide, Entra ID) map issuer+subject to an account.
CREATE TABLE external_identity (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES account(id),
    PRIMARY KEY (issuer, subject)
);

CREATE TABLE login_session (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX login_session_account ON login_session(account_id);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_person_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    region_id INTEGER,
    municipality_id INTEGER,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_scope ON audit_log(municipality_id, at);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
