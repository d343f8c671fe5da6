-- Index changes measured with people-search.diff (SQLite; see BENCHMARKS.md).
-- As a new migration, e.g. crates/store/migrations/sqlite/0002_people_search.sql.
-- The search branches read these indexes alone (covering: no table lookups).
DROP INDEX person_given_sort;
CREATE INDEX person_given_sort ON person(given_sort, name_sort, left_at);
DROP INDEX person_email;
CREATE INDEX person_email ON person(email, name_sort, left_at);
-- A municipality's list and searches within it, read from the index alone.
DROP INDEX person_municipality_sort;
CREATE INDEX person_municipality_sort ON person(municipality_id, name_sort, id, given_sort, email, employee_number, left_at);
