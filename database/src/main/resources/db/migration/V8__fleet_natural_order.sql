-- The fleet listed by id in natural order (…-9, …-10, …-117, …-1161), as people number their
-- orchestrators, not as text sorts them: ICU's numeric collation, and an index in that order so
-- that a page of 100,000 orchestrators is read from the index, not sorted.
CREATE COLLATION IF NOT EXISTS natural_order (provider = icu, locale = 'und-u-kn-true');

CREATE INDEX orchestrator_instances_natural_id ON orchestrator_instances ((orchestrator_id COLLATE natural_order));
CREATE INDEX orchestrator_instances_last_seen ON orchestrator_instances (last_seen DESC NULLS LAST);
