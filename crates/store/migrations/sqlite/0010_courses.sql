-- Courses and events (issue 5): catalogue, sessions, meeting days, quotas, enrolments, search words.
-- Times are unix seconds (UTC); money is integer øre. Keep this file and postgres/0010_courses.sql in step.

CREATE TABLE course (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES region(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    organiser_kind TEXT NOT NULL,
    organiser_municipality_id INTEGER REFERENCES municipality(id),
    organiser_name TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    price_internal_ore INTEGER NOT NULL DEFAULT 0,
    price_external_ore INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL DEFAULT 'nb',
    -- NULL: the whole region sees it; else only this municipality.
    visibility_municipality_id INTEGER REFERENCES municipality(id),
    completion_all_days INTEGER NOT NULL DEFAULT 1,
    copied_from INTEGER REFERENCES course(id),
    created_by INTEGER REFERENCES person(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX course_region ON course(region_id, id);

CREATE TABLE course_competence (
    course_id INTEGER NOT NULL REFERENCES course(id),
    framework_key TEXT NOT NULL,
    competence TEXT NOT NULL,
    level INTEGER NOT NULL,
    PRIMARY KEY (course_id, framework_key, competence)
);
CREATE INDEX course_competence_code ON course_competence(framework_key, competence, course_id);

CREATE TABLE course_target_group (
    course_id INTEGER NOT NULL REFERENCES course(id),
    role_group TEXT NOT NULL,
    PRIMARY KEY (course_id, role_group)
);

-- Norwegian Snowball stems of a course's title, summary and description (domain::courses::search).
CREATE TABLE course_word (
    stem TEXT NOT NULL,
    course_id INTEGER NOT NULL REFERENCES course(id),
    PRIMARY KEY (stem, course_id)
);
CREATE INDEX course_word_course ON course_word(course_id);

CREATE TABLE course_session (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES course(id),
    venue TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    online_link TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL,
    enrolment_opens_at INTEGER NOT NULL,
    enrolment_closes_at INTEGER NOT NULL,
    cancellation_deadline INTEGER NOT NULL,
    -- One name per line.
    instructors TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned',
    first_starts_at INTEGER NOT NULL,
    last_ends_at INTEGER NOT NULL,
    -- Arrival counter: every enrolment takes the next number under the session's lock (waitlist order).
    arrivals INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX course_session_course ON course_session(course_id, first_starts_at);
CREATE INDEX course_session_start ON course_session(first_starts_at);

CREATE TABLE session_day (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES course_session(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL
);
CREATE INDEX session_day_session ON session_day(session_id, starts_at);

CREATE TABLE session_quota (
    session_id INTEGER NOT NULL REFERENCES course_session(id),
    municipality_id INTEGER NOT NULL REFERENCES municipality(id),
    seats INTEGER NOT NULL,
    PRIMARY KEY (session_id, municipality_id)
);

-- status: confirmed, waitlisted, cancelled (late = 1 after the deadline), left (left the waitlist).
CREATE TABLE enrolment (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES course_session(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    municipality_id INTEGER NOT NULL REFERENCES municipality(id),
    status TEXT NOT NULL,
    arrival INTEGER NOT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    enrolled_by INTEGER REFERENCES person(id),
    enrolled_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    ended_at INTEGER
);
-- One active enrolment per person and session: the backstop behind the lock against a double click.
CREATE UNIQUE INDEX enrolment_active ON enrolment(session_id, person_id) WHERE status IN ('confirmed', 'waitlisted');
CREATE INDEX enrolment_session ON enrolment(session_id, status, arrival);
CREATE INDEX enrolment_person ON enrolment(person_id, status);
