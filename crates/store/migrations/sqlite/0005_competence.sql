-- Competence frameworks, target levels and mapping rounds. Keep in step with postgres/0005_competence.sql.

-- A published framework version: the whole framework as exported (JSON), plus what lists need.
CREATE TABLE framework (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    version TEXT NOT NULL,
    title_nb TEXT NOT NULL,
    levels INTEGER NOT NULL,
    content_json TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    UNIQUE (key, version)
);

-- Expected level per competence and role group: set by the region (municipality_id NULL), raised by a municipality.
CREATE TABLE target_level (
    id INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES framework(id),
    competence TEXT NOT NULL,
    role_group TEXT NOT NULL,
    region_id INTEGER NOT NULL REFERENCES region(id),
    municipality_id INTEGER REFERENCES municipality(id),
    level INTEGER NOT NULL
);
CREATE UNIQUE INDEX target_level_scope ON target_level(region_id, framework_id, competence, role_group, COALESCE(municipality_id, 0));

CREATE TABLE mapping_round (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES region(id),
    name TEXT NOT NULL,
    privacy TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    audience_json TEXT NOT NULL,
    -- Days before closing on which those who have not answered are reminded, e.g. '7,2'.
    reminder_days TEXT NOT NULL DEFAULT '',
    copied_from INTEGER REFERENCES mapping_round(id),
    created_by INTEGER REFERENCES person(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX mapping_round_region ON mapping_round(region_id, opens_on);

CREATE TABLE round_question (
    round_id INTEGER NOT NULL REFERENCES mapping_round(id),
    position INTEGER NOT NULL,
    framework_id INTEGER NOT NULL REFERENCES framework(id),
    competence TEXT NOT NULL,
    PRIMARY KEY (round_id, framework_id, competence)
);

-- Who is asked, with the group attributes their answers will carry. `answered` has no time on purpose: in an
-- anonymous round a time here could be matched with a response.
CREATE TABLE round_invitation (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES mapping_round(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    token_hash TEXT NOT NULL UNIQUE,
    municipality_id INTEGER NOT NULL REFERENCES municipality(id),
    unit_id INTEGER REFERENCES unit(id),
    role_group TEXT NOT NULL,
    invited_at INTEGER NOT NULL,
    last_reminded_on TEXT,
    answered INTEGER NOT NULL DEFAULT 0,
    UNIQUE (round_id, person_id)
);
CREATE INDEX round_invitation_unit ON round_invitation(round_id, municipality_id, unit_id);

-- Saved, unsubmitted answers (removed on submit).
CREATE TABLE round_draft (
    invitation_id INTEGER NOT NULL REFERENCES round_invitation(id),
    framework_id INTEGER NOT NULL,
    competence TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (invitation_id, framework_id, competence)
);

-- A submitted questionnaire. The id is random, so row order says nothing about who answered when; person_id and
-- submitted_on are kept in confidential rounds only.
CREATE TABLE mapping_response (
    id TEXT PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES mapping_round(id),
    municipality_id INTEGER NOT NULL REFERENCES municipality(id),
    unit_id INTEGER REFERENCES unit(id),
    role_group TEXT NOT NULL,
    person_id INTEGER REFERENCES person(id),
    submitted_on TEXT
);
CREATE INDEX mapping_response_round ON mapping_response(round_id, unit_id);
CREATE INDEX mapping_response_person ON mapping_response(person_id);

-- One answer: a level, or NULL for "not relevant for my work".
CREATE TABLE mapping_answer (
    response_id TEXT NOT NULL REFERENCES mapping_response(id),
    framework_id INTEGER NOT NULL,
    competence TEXT NOT NULL,
    level INTEGER,
    PRIMARY KEY (response_id, framework_id, competence)
);
