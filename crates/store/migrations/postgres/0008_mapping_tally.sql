-- Running answer tallies per round: the report's only input, kept up to date by each submit in the same
-- transaction, so a report reads these rows instead of grouping every answer of the round again.
-- unit_id 0 stands for "directly in the municipality", level 0 for "not relevant" (key columns cannot be NULL).
CREATE TABLE mapping_tally (
    round_id BIGINT NOT NULL REFERENCES mapping_round(id),
    municipality_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    role_group TEXT NOT NULL,
    framework_id BIGINT NOT NULL,
    competence TEXT NOT NULL,
    level BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (round_id, municipality_id, unit_id, role_group, framework_id, competence, level)
);

INSERT INTO mapping_tally (round_id, municipality_id, unit_id, role_group, framework_id, competence, level, count)
SELECT r.round_id, r.municipality_id, COALESCE(r.unit_id, 0), r.role_group, a.framework_id, a.competence,
       COALESCE(a.level, 0), COUNT(*)
FROM mapping_response r JOIN mapping_answer a ON a.response_id = r.id
GROUP BY r.round_id, r.municipality_id, COALESCE(r.unit_id, 0), r.role_group, a.framework_id, a.competence,
         COALESCE(a.level, 0);
