-- The course catalogue is held in memory by each process (store::courses::catalogue); every change of a course or
-- its sessions bumps this counter in its transaction, so every process knows when to load it again.
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 0);
