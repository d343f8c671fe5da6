-- Seats a manager or coordinator reserves for a unit, naming the people later (issue 5, item 4). Keep in step
-- with postgres/0018.

-- seats_left: reserved seats not yet named; they count as taken (capacity and the municipality's quota) until
-- named (each becomes a confirmed enrolment with reservation_id), given back, or released at release_at.
CREATE TABLE seat_reservation (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES course_session(id),
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    municipality_id INTEGER NOT NULL REFERENCES municipality(id),
    seats_left INTEGER NOT NULL CHECK (seats_left >= 0),
    release_at INTEGER NOT NULL,
    reserved_by INTEGER REFERENCES person(id),
    reserved_at INTEGER NOT NULL,
    released_at INTEGER,
    UNIQUE (session_id, unit_id)
);
-- The periodic job finds reservations due for release without reading them all.
CREATE INDEX seat_reservation_due ON seat_reservation(release_at) WHERE seats_left > 0;

ALTER TABLE enrolment ADD COLUMN reservation_id INTEGER REFERENCES seat_reservation(id);
