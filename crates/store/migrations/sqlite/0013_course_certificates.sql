-- Course certificates (kursbevis), issue 5. Keep in step with postgres/0013.
-- One per enrolment, issued on the first download of a completed one. What the certificate prints is frozen here
-- at issue (a renamed course does not change it). Validity is not stored: a certificate is valid while its
-- enrolment is confirmed and completed (store::courses::certificates).

CREATE TABLE certificate (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL UNIQUE REFERENCES enrolment(id),
    -- 12 symbols of Crockford base32, without dashes (domain::courses::certificate::CertificateCode).
    code TEXT NOT NULL UNIQUE,
    issued_at INTEGER NOT NULL,
    person_name TEXT NOT NULL,
    course_title TEXT NOT NULL,
    organiser TEXT NOT NULL,
    -- Oslo dates, YYYY-MM-DD.
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    -- [{framework_key, competence, title: {nb, nn, en} | null, level}]
    competences_json TEXT NOT NULL
);
