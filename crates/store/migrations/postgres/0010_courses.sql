-- Courses and events (issue 5): catalogue, sessions, meeting days, quotas, enrolments, search words.
-- Times are unix seconds (UTC); money is integer øre. Keep this file and sqlite/0010_courses.sql in step.

CREATE TABLE course (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES region(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    organiser_kind TEXT NOT NULL,
    organiser_municipality_id BIGINT REFERENCES municipality(id),
    organiser_name TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    price_internal_ore BIGINT NOT NULL DEFAULT 0,
    price_external_ore BIGINT NOT NULL DEFAULT 0,
    language TEXT NOT NULL DEFAULT 'nb',
    -- NULL: the whole region sees it; else only this municipality.
    visibility_municipality_id BIGINT REFERENCES municipality(id),
    completion_all_days BIGINT NOT NULL DEFAULT 1,
    copied_from BIGINT REFERENCES course(id),
    created_by BIGINT REFERENCES person(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX course_region ON course(region_id, id);

CREATE TABLE course_competence (
    course_id BIGINT NOT NULL REFERENCES course(id),
    framework_key TEXT NOT NULL,
    competence TEXT NOT NULL,
    level BIGINT NOT NULL,
    PRIMARY KEY (course_id, framework_key, competence)
);
CREATE INDEX course_competence_code ON course_competence(framework_key, competence, course_id);

CREATE TABLE course_target_group (
    course_id BIGINT NOT NULL REFERENCES course(id),
    role_group TEXT NOT NULL,
    PRIMARY KEY (course_id, role_group)
);

-- Norwegian Snowball stems of a course's title, summary and description (domain::courses::search).
CREATE TABLE course_word (
    stem TEXT COLLATE "C" NOT NULL,
    course_id BIGINT NOT NULL REFERENCES course(id),
    PRIMARY KEY (stem, course_id)
);
CREATE INDEX course_word_course ON course_word(course_id);

CREATE TABLE course_session (
    id BIGSERIAL PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES course(id),
    venue TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    online_link TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL,
    enrolment_opens_at BIGINT NOT NULL,
    enrolment_closes_at BIGINT NOT NULL,
    cancellation_deadline BIGINT NOT NULL,
    -- One name per line.
    instructors TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned',
    first_starts_at BIGINT NOT NULL,
    last_ends_at BIGINT NOT NULL,
    -- Arrival counter: every enrolment takes the next number under the session's lock (waitlist order).
    arrivals BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX course_session_course ON course_session(course_id, first_starts_at);
CREATE INDEX course_session_start ON course_session(first_starts_at);

CREATE TABLE session_day (
    id BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES course_session(id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL
);
CREATE INDEX session_day_session ON session_day(session_id, starts_at);

CREATE TABLE session_quota (
    session_id BIGINT NOT NULL REFERENCES course_session(id),
    municipality_id BIGINT NOT NULL REFERENCES municipality(id),
    seats BIGINT NOT NULL,
    PRIMARY KEY (session_id, municipality_id)
);

-- status: confirmed, waitlisted, cancelled (late = 1 after the deadline), left (left the waitlist).
CREATE TABLE enrolment (
    id BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES course_session(id),
    person_id BIGINT NOT NULL REFERENCES person(id),
    municipality_id BIGINT NOT NULL REFERENCES municipality(id),
    status TEXT NOT NULL,
    arrival BIGINT NOT NULL,
    late BIGINT NOT NULL DEFAULT 0,
    enrolled_by BIGINT REFERENCES person(id),
    enrolled_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    ended_at BIGINT
);
-- One active enrolment per person and session: the backstop behind the lock against a double click.
CREATE UNIQUE INDEX enrolment_active ON enrolment(session_id, person_id) WHERE status IN ('confirmed', 'waitlisted');
CREATE INDEX enrolment_session ON enrolment(session_id, status, arrival);
CREATE INDEX enrolment_person ON enrolment(person_id, status);
