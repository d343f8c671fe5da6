-- People search reads each part of a search (family name, given name, e-mail) in
-- index order; the id makes the order total so pages never overlap.
DROP INDEX person_given_sort;
DROP INDEX person_email;
CREATE INDEX person_given_sort ON person(given_sort, id);
CREATE INDEX person_email ON person(email, id);
