-- Calendars for courses (issue 5): a personal feed behind a secret URL (only the token's SHA-256 is kept), and
-- attachments for outbox e-mails (the .ics sent with a confirmation). Keep in step with sqlite/0011.

CREATE TABLE calendar_feed (
    person_id BIGINT PRIMARY KEY REFERENCES person(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE outbox_attachment (
    id BIGSERIAL PRIMARY KEY,
    outbox_id BIGINT NOT NULL REFERENCES outbox(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX outbox_attachment_outbox ON outbox_attachment(outbox_id);
