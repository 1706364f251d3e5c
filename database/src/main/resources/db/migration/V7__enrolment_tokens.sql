-- Organizations' enrolment tokens: an orchestrator that enrols with one asks to join that
-- organization, and is approved at once when the admin chose so. Only the token's hash is kept;
-- the token is shown once, when it is made.
CREATE TABLE enrolment_tokens (
    token_id        text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations ON DELETE CASCADE,
    token_hash      text        NOT NULL UNIQUE CHECK (token_hash ~ '^sha256:[0-9a-f]{64}$'),
    description     text        CHECK (length(description) <= 200),
    auto_approve    boolean     NOT NULL,
    max_uses        integer     CHECK (max_uses IS NULL OR max_uses >= 1),
    uses            integer     NOT NULL DEFAULT 0 CHECK (uses >= 0),
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX enrolment_tokens_organization ON enrolment_tokens (organization_id);

-- The enrolment token a waiting orchestrator enrolled with, if any.
ALTER TABLE enrolment_requests ADD COLUMN enrolment_token_id text;

-- When the request's current session entered the waiting room, by its edge's clock: only a later
-- session's request replaces it (a heartbeat moves last_seen_at, not this).
ALTER TABLE enrolment_requests ADD COLUMN entered_at timestamptz;
