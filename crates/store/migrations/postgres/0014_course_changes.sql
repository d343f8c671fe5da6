-- Issue 5, items 4 and 6. Keep in step with sqlite/0014.

-- A session's revision: bumped whenever a change reaches people's calendars (moved days, venue, room, link,
-- cancellation), and sent as the calendar entries' SEQUENCE.
ALTER TABLE course_session ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- Manager approval per course: a person's own request waits as a `pending` enrolment (no seat, no place on the
-- waitlist) until a manager or coordinator enrols them (`decided_by`) or declines (`rejected`).
ALTER TABLE course ADD COLUMN requires_approval BIGINT NOT NULL DEFAULT 0;
ALTER TABLE enrolment ADD COLUMN decided_by BIGINT REFERENCES person(id);
DROP INDEX enrolment_active;
CREATE UNIQUE INDEX enrolment_active ON enrolment(session_id, person_id) WHERE status IN ('confirmed', 'waitlisted', 'pending');
CREATE INDEX enrolment_pending ON enrolment(status, enrolled_at) WHERE status = 'pending';

-- Course reminders: when the reminder e-mail before the session was queued (once per enrolment).
ALTER TABLE enrolment ADD COLUMN reminded_at BIGINT;
