-- Waitlist offers with an answer deadline (issue 5, item 4). Keep in step with postgres/0016.

-- Hours someone on the waitlist has to accept a freed seat; 0 gives the seat at once (as before).
ALTER TABLE course ADD COLUMN offer_hours INTEGER NOT NULL DEFAULT 0;

-- An offered seat (status 'offered') is held until offer_expires_at (unix seconds); then it lapses ('lapsed')
-- and passes on. A declined offer is 'declined'. The deadline is kept after the answer, for the record.
ALTER TABLE enrolment ADD COLUMN offer_expires_at INTEGER;
DROP INDEX enrolment_active;
CREATE UNIQUE INDEX enrolment_active ON enrolment(session_id, person_id) WHERE status IN ('confirmed', 'offered', 'waitlisted', 'pending');
-- The periodic job finds offers past their deadline without reading every enrolment.
CREATE INDEX enrolment_offered ON enrolment(offer_expires_at) WHERE status = 'offered';
