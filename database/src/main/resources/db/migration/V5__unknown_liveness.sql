-- UNKNOWN: silent for the TTL while its edge could not be heard, so not known to be dead.
ALTER TABLE orchestrator_instances DROP CONSTRAINT orchestrator_instances_status_check;
ALTER TABLE orchestrator_instances ADD CONSTRAINT orchestrator_instances_status_check
    CHECK (status IN ('PENDING', 'ACTIVE', 'INACTIVE', 'INDEPENDENT', 'UNKNOWN'));
