-- A change counter per municipality for the HR state the import compares with (its people, their employments,
-- their role grants, its units), kept by triggers so that no writer can forget it. A preview records the
-- counter it read; an apply that finds it unchanged and a preview that changed nothing writes nothing but the
-- import's status. Keep this file and sqlite/0006_hr_state_version.sql in step.

-- No row yet = version 0. No foreign key: the triggers should stay cheap.
CREATE TABLE hr_state_version (
    municipality_id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);

-- The counter read by the preview, before it read the state.
ALTER TABLE hr_import ADD COLUMN state_version BIGINT;

-- Statement-level triggers with transition tables: one counter update per statement and municipality, so a
-- batch of 1,000 new people costs one update, not 1,000 (row-level updates of one row in one transaction would
-- pile up row versions). In municipality order, so that two writers lock the counters in the same order.
CREATE FUNCTION hr_state_bump(municipalities BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO hr_state_version (municipality_id, version)
    SELECT DISTINCT m, 1 FROM unnest(municipalities) AS m WHERE m IS NOT NULL ORDER BY 1
    ON CONFLICT (municipality_id) DO UPDATE SET version = hr_state_version.version + 1;
$$;

-- Tables with a municipality_id of their own (person, unit).
CREATE FUNCTION hr_state_changed_direct() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM hr_state_bump(ARRAY(SELECT municipality_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM hr_state_bump(ARRAY(SELECT municipality_id FROM new_rows UNION SELECT municipality_id FROM old_rows));
    ELSE
        PERFORM hr_state_bump(ARRAY(SELECT municipality_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

-- Tables that belong to a person (employment, role_grant): their person's municipality.
CREATE FUNCTION hr_state_changed_by_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM hr_state_bump(ARRAY(
            SELECT DISTINCT p.municipality_id FROM person p WHERE p.id IN (SELECT person_id FROM new_rows)));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM hr_state_bump(ARRAY(
            SELECT DISTINCT p.municipality_id FROM person p
            WHERE p.id IN (SELECT person_id FROM new_rows UNION SELECT person_id FROM old_rows)));
    ELSE
        PERFORM hr_state_bump(ARRAY(
            SELECT DISTINCT p.municipality_id FROM person p WHERE p.id IN (SELECT person_id FROM old_rows)));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER person_hr_insert AFTER INSERT ON person REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_direct();
CREATE TRIGGER person_hr_update AFTER UPDATE ON person REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_direct();
CREATE TRIGGER person_hr_delete AFTER DELETE ON person REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_direct();

CREATE TRIGGER unit_hr_insert AFTER INSERT ON unit REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_direct();
CREATE TRIGGER unit_hr_update AFTER UPDATE ON unit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_direct();
CREATE TRIGGER unit_hr_delete AFTER DELETE ON unit REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_direct();

CREATE TRIGGER employment_hr_insert AFTER INSERT ON employment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_by_person();
CREATE TRIGGER employment_hr_update AFTER UPDATE ON employment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_by_person();
CREATE TRIGGER employment_hr_delete AFTER DELETE ON employment REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_by_person();

CREATE TRIGGER role_grant_hr_insert AFTER INSERT ON role_grant REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_by_person();
CREATE TRIGGER role_grant_hr_update AFTER UPDATE ON role_grant REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_by_person();
CREATE TRIGGER role_grant_hr_delete AFTER DELETE ON role_grant REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hr_state_changed_by_person();
