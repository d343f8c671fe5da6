-- Knowledge checks with tested levels, and reminders sent. Keep in step with sqlite/0007_mapping_features.sql.

-- The question bank: a true/false or multiple-choice question with its correct answer, for one competence of one
-- framework version. The check itself (prompt, options, correct answer) is stored whole as JSON.
CREATE TABLE knowledge_check (
    id BIGSERIAL PRIMARY KEY,
    framework_id BIGINT NOT NULL REFERENCES framework(id),
    competence TEXT NOT NULL,
    position BIGINT NOT NULL,
    content_json TEXT NOT NULL,
    UNIQUE (framework_id, competence, position)
);

-- The checks a round asks (copied with the round).
CREATE TABLE round_check (
    round_id BIGINT NOT NULL REFERENCES mapping_round(id),
    check_id BIGINT NOT NULL REFERENCES knowledge_check(id),
    PRIMARY KEY (round_id, check_id)
);

-- Saved, unsubmitted check answers (removed on submit).
CREATE TABLE round_check_draft (
    invitation_id BIGINT NOT NULL REFERENCES round_invitation(id),
    check_id BIGINT NOT NULL,
    choice BIGINT NOT NULL,
    PRIMARY KEY (invitation_id, check_id)
);

-- A submitted response's check answers and the tested level they give per competence (the scoring rule is
-- `loft_domain::mapping::checks`). Like the response, no person and no time.
CREATE TABLE mapping_check_answer (
    response_id TEXT NOT NULL REFERENCES mapping_response(id),
    check_id BIGINT NOT NULL,
    choice BIGINT NOT NULL,
    PRIMARY KEY (response_id, check_id)
);
CREATE TABLE mapping_tested (
    response_id TEXT NOT NULL REFERENCES mapping_response(id),
    framework_id BIGINT NOT NULL,
    competence TEXT NOT NULL,
    level BIGINT NOT NULL,
    PRIMARY KEY (response_id, framework_id, competence)
);

-- One row per reminder sent: the key makes each reminder go once per invitation, across restarts and servers.
-- The reminder's personal link is a new token for the same invitation (only hashes are kept, so the first link
-- cannot be sent again); both links stay valid. No time is kept.
CREATE TABLE round_reminder (
    invitation_id BIGINT NOT NULL REFERENCES round_invitation(id),
    days_before BIGINT NOT NULL,
    token_hash TEXT UNIQUE,
    PRIMARY KEY (invitation_id, days_before)
);
