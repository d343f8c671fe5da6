-- A change counter per municipality for the HR state the import compares with (its people, their employments,
-- their role grants, its units), kept by triggers so that no writer can forget it. A preview records the
-- counter it read; an apply that finds it unchanged and a preview that changed nothing writes nothing but the
-- import's status. Keep this file and postgres/0006_hr_state_version.sql in step.

-- No row yet = version 0. No foreign key: the triggers run for every row written and should stay cheap.
CREATE TABLE hr_state_version (
    municipality_id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);

-- The counter read by the preview, before it read the state.
ALTER TABLE hr_import ADD COLUMN state_version INTEGER;

CREATE TRIGGER person_hr_insert AFTER INSERT ON person BEGIN
    INSERT INTO hr_state_version (municipality_id, version) VALUES (NEW.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER person_hr_update AFTER UPDATE ON person BEGIN
    INSERT INTO hr_state_version (municipality_id, version) VALUES (NEW.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
    INSERT INTO hr_state_version (municipality_id, version)
        SELECT OLD.municipality_id, 1 WHERE OLD.municipality_id <> NEW.municipality_id
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER person_hr_delete AFTER DELETE ON person BEGIN
    INSERT INTO hr_state_version (municipality_id, version) VALUES (OLD.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER unit_hr_insert AFTER INSERT ON unit BEGIN
    INSERT INTO hr_state_version (municipality_id, version) VALUES (NEW.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER unit_hr_update AFTER UPDATE ON unit BEGIN
    INSERT INTO hr_state_version (municipality_id, version) VALUES (NEW.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
    INSERT INTO hr_state_version (municipality_id, version)
        SELECT OLD.municipality_id, 1 WHERE OLD.municipality_id <> NEW.municipality_id
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER unit_hr_delete AFTER DELETE ON unit BEGIN
    INSERT INTO hr_state_version (municipality_id, version) VALUES (OLD.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;

-- Employments and role grants count for their person's municipality.
CREATE TRIGGER employment_hr_insert AFTER INSERT ON employment BEGIN
    INSERT INTO hr_state_version (municipality_id, version)
        SELECT municipality_id, 1 FROM person WHERE id = NEW.person_id
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER employment_hr_update AFTER UPDATE ON employment BEGIN
    INSERT INTO hr_state_version (municipality_id, version)
        SELECT municipality_id, 1 FROM person WHERE id IN (NEW.person_id, OLD.person_id)
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER employment_hr_delete AFTER DELETE ON employment BEGIN
    INSERT INTO hr_state_version (municipality_id, version)
        SELECT municipality_id, 1 FROM person WHERE id = OLD.person_id
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER role_grant_hr_insert AFTER INSERT ON role_grant BEGIN
    INSERT INTO hr_state_version (municipality_id, version)
        SELECT municipality_id, 1 FROM person WHERE id = NEW.person_id
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER role_grant_hr_update AFTER UPDATE ON role_grant BEGIN
    INSERT INTO hr_state_version (municipality_id, version)
        SELECT municipality_id, 1 FROM person WHERE id IN (NEW.person_id, OLD.person_id)
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER role_grant_hr_delete AFTER DELETE ON role_grant BEGIN
    INSERT INTO hr_state_version (municipality_id, version)
        SELECT municipality_id, 1 FROM person WHERE id = OLD.person_id
        ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1;
END;
