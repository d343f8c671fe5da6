-- Competence frameworks, target levels and mapping rounds. Keep in step with sqlite/0005_competence.sql.

-- A published framework version: the whole framework as exported (JSON), plus what lists need.
CREATE TABLE framework (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL,
    version TEXT NOT NULL,
    title_nb TEXT NOT NULL,
    levels BIGINT NOT NULL,
    content_json TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    UNIQUE (key, version)
);

-- Expected level per competence and role group: set by the region (municipality_id NULL), raised by a municipality.
CREATE TABLE target_level (
    id BIGSERIAL PRIMARY KEY,
    framework_id BIGINT NOT NULL REFERENCES framework(id),
    competence TEXT NOT NULL,
    role_group TEXT NOT NULL,
    region_id BIGINT NOT NULL REFERENCES region(id),
    municipality_id BIGINT REFERENCES municipality(id),
    level BIGINT NOT NULL
);
CREATE UNIQUE INDEX target_level_scope ON target_level(region_id, framework_id, competence, role_group, COALESCE(municipality_id, 0));

CREATE TABLE mapping_round (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES region(id),
    name TEXT NOT NULL,
    privacy TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    audience_json TEXT NOT NULL,
    -- Days before closing on which those who have not answered are reminded, e.g. '7,2'.
    reminder_days TEXT NOT NULL DEFAULT '',
    copied_from BIGINT REFERENCES mapping_round(id),
    created_by BIGINT REFERENCES person(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX mapping_round_region ON mapping_round(region_id, opens_on);

CREATE TABLE round_question (
    round_id BIGINT NOT NULL REFERENCES mapping_round(id),
    position BIGINT NOT NULL,
    framework_id BIGINT NOT NULL REFERENCES framework(id),
    competence TEXT NOT NULL,
    PRIMARY KEY (round_id, framework_id, competence)
);

-- Who is asked, with the group attributes their answers will carry. `answered` has no time on purpose: in an
-- anonymous round a time here could be matched with a response.
CREATE TABLE round_invitation (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES mapping_round(id),
    person_id BIGINT NOT NULL REFERENCES person(id),
    token_hash TEXT NOT NULL UNIQUE,
    municipality_id BIGINT NOT NULL REFERENCES municipality(id),
    unit_id BIGINT REFERENCES unit(id),
    role_group TEXT NOT NULL,
    invited_at BIGINT NOT NULL,
    last_reminded_on TEXT,
    answered BIGINT NOT NULL DEFAULT 0,
    UNIQUE (round_id, person_id)
);
CREATE INDEX round_invitation_unit ON round_invitation(round_id, municipality_id, unit_id);

-- Saved, unsubmitted answers (removed on submit).
CREATE TABLE round_draft (
    invitation_id BIGINT NOT NULL REFERENCES round_invitation(id),
    framework_id BIGINT NOT NULL,
    competence TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (invitation_id, framework_id, competence)
);

-- A submitted questionnaire. The id is random, so row order says nothing about who answered when; person_id and
-- submitted_on are kept in confidential rounds only.
CREATE TABLE mapping_response (
    id TEXT PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES mapping_round(id),
    municipality_id BIGINT NOT NULL REFERENCES municipality(id),
    unit_id BIGINT REFERENCES unit(id),
    role_group TEXT NOT NULL,
    person_id BIGINT REFERENCES person(id),
    submitted_on TEXT
);
CREATE INDEX mapping_response_round ON mapping_response(round_id, unit_id);
CREATE INDEX mapping_response_person ON mapping_response(person_id);

-- One answer: a level, or NULL for "not relevant for my work".
CREATE TABLE mapping_answer (
    response_id TEXT NOT NULL REFERENCES mapping_response(id),
    framework_id BIGINT NOT NULL,
    competence TEXT NOT NULL,
    level BIGINT,
    PRIMARY KEY (response_id, framework_id, competence)
);
