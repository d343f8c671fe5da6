-- A round's results are released once, after it has closed, and never change afterwards (issue 4: comparing two
-- published states of a round would show what the answers in between were). Keep in step with postgres/0019.

-- Anonymous answers wait here until the release, apart from the tables reports read: the release moves them all
-- in one transaction, in the order of their random key, so neither the order nor the transaction of a stored
-- response tells when it was given. No rowid: the stored order is the random key's.
CREATE TABLE mapping_parked (
    id TEXT PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES mapping_round(id),
    municipality_id INTEGER NOT NULL REFERENCES municipality(id),
    unit_id INTEGER REFERENCES unit(id),
    role_group TEXT NOT NULL,
    -- The answers, knowledge-check choices and tested levels as JSON (store::mapping_release::Parked).
    answers_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX mapping_parked_round ON mapping_parked(round_id);

-- What a released round's figures are decided with, fixed at the release: k and the report tree (later changes
-- to the units or to k would otherwise give a second, different state of the same answers).
CREATE TABLE mapping_release (
    round_id INTEGER PRIMARY KEY REFERENCES mapping_round(id),
    min_group_size INTEGER NOT NULL,
    nodes_json TEXT NOT NULL,
    released_at INTEGER NOT NULL
);
