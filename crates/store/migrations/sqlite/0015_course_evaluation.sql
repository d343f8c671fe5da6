-- Anonymous course evaluations (issue 5 item 10). Keep in step with postgres/0015.
-- The answer has no person, no enrolment and no time; its key is random and the table has no rowid, so the
-- stored order says nothing about who answered when. The enrolment keeps only that it has answered.
CREATE TABLE course_evaluation (
    id TEXT PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES course_session(id),
    overall INTEGER NOT NULL,
    relevance INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX course_evaluation_session ON course_evaluation(session_id);

ALTER TABLE enrolment ADD COLUMN evaluated INTEGER NOT NULL DEFAULT 0;
