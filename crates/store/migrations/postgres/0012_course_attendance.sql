-- Attendance per meeting day, completion, and competence evidence (issue 5). Keep in step with sqlite/0012.

CREATE TABLE attendance (
    enrolment_id BIGINT NOT NULL REFERENCES enrolment(id),
    day_id BIGINT NOT NULL REFERENCES session_day(id),
    present BIGINT NOT NULL,
    marked_by BIGINT REFERENCES person(id),
    marked_at BIGINT NOT NULL,
    PRIMARY KEY (enrolment_id, day_id)
);

ALTER TABLE enrolment ADD COLUMN completed_at BIGINT;

-- What a person has shown they master, with where it comes from (here: a completed course enrolment).
-- Profiles and the training plan read this table.
CREATE TABLE competence_evidence (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES person(id),
    framework_key TEXT NOT NULL,
    competence TEXT NOT NULL,
    level BIGINT NOT NULL,
    achieved_on TEXT NOT NULL,
    source TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    UNIQUE (source, source_id, framework_key, competence)
);
CREATE INDEX competence_evidence_person ON competence_evidence(person_id, framework_key, competence);
