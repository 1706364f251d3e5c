-- Orchestrators nobody registered that connected and wait in an edge's waiting room for an admin
-- (orchestrator.enrolments.v1): only what their handshake said about them, never anything else
-- they sent. An approval turns the row into an orchestrator_instances row and deletes it; a
-- rejection keeps it, with the time until which the edges refuse the id.
CREATE TABLE enrolment_requests (
    orchestrator_id text        PRIMARY KEY CHECK (orchestrator_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
    session_id      text        NOT NULL,
    edge_id         text        NOT NULL,
    client_version  text,
    hostname        text,
    ip              text,
    name            text,
    location        text,
    features        jsonb       CHECK (features IS NULL OR jsonb_typeof(features) = 'object'),
    remote_address  text,
    -- 'sha256:<hex>' of the key the orchestrator enrolled with, its token once approved; NULL for a
    -- client that sent none, which an approval lets connect without a token.
    key_hash        text        CHECK (key_hash ~ '^sha256:[0-9a-f]{64}$'),
    -- Whether its waiting session is open now.
    waiting         boolean     NOT NULL,
    first_seen_at   timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    rejected_until  timestamptz
);

CREATE INDEX enrolment_requests_last_seen ON enrolment_requests (last_seen_at DESC);
