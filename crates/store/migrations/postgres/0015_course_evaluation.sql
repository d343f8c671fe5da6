-- Anonymous course evaluations (issue 5 item 10). Keep in step with sqlite/0015.
-- The answer has no person, no enrolment and no time; its key is random, so reading it in key order says
-- nothing about who answered when. The enrolment keeps only that it has answered.
CREATE TABLE course_evaluation (
    id TEXT PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES course_session(id),
    overall BIGINT NOT NULL,
    relevance BIGINT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX course_evaluation_session ON course_evaluation(session_id);

ALTER TABLE enrolment ADD COLUMN evaluated BIGINT NOT NULL DEFAULT 0;
