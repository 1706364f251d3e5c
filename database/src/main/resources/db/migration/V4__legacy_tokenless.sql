-- Whether an admin lets this orchestrator connect and poll without a token (the seed's client).
-- Off for every orchestrator, those that exist now included: it replaces a switch that admitted
-- any registered id, so nobody keeps it without an admin saying so for that orchestrator.
ALTER TABLE orchestrator_instances ADD COLUMN tokenless_allowed boolean NOT NULL DEFAULT false;
