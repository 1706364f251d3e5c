-- The controller's PostgreSQL schema. Desired state (organizations, instances, credentials,
-- independence, recommendation decisions, the activity log) is owned here by control-api; the
-- liveness columns, transitions, windows and reports are materialized from Kafka and can be
-- rebuilt by replaying topics.

CREATE TABLE organizations (
    organization_id text        PRIMARY KEY
                                CHECK (organization_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    location        text        CHECK (length(location) <= 200),
    is_active       boolean     NOT NULL DEFAULT true,
    settings        jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name));

CREATE TABLE orchestrator_instances (
    orchestrator_id                text        PRIMARY KEY
                                               CHECK (orchestrator_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
    organization_id                text        NOT NULL REFERENCES organizations ON DELETE RESTRICT,
    name                           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    location                       text        CHECK (length(location) <= 200),
    features                       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(features) = 'object'),
    is_independent                 boolean     NOT NULL DEFAULT false,
    privacy_mode                   boolean     NOT NULL DEFAULT false,
    -- Increases with every change of the desired state; travels in orchestrator.desired-state.v1.
    desired_version                bigint      NOT NULL DEFAULT 1 CHECK (desired_version >= 1),
    -- 'sha256:<hex>' of the orchestrator's token; the token itself is never stored.
    credential_hash                text        CHECK (credential_hash ~ '^sha256:[0-9a-f]{64}$'),
    credential_rotated_at          timestamptz,
    created_at                     timestamptz NOT NULL DEFAULT now(),
    updated_at                     timestamptz NOT NULL DEFAULT now(),

    -- Materialized from orchestrator.liveness.v1.
    status                         text        NOT NULL DEFAULT 'PENDING'
                                               CHECK (status IN ('PENDING', 'ACTIVE', 'INACTIVE', 'INDEPENDENT')),
    status_reason                  text        NOT NULL DEFAULT 'registered',
    status_since                   timestamptz NOT NULL DEFAULT now(),
    last_seen                      timestamptz,
    connected                      boolean     NOT NULL DEFAULT false,
    session_id                     text,
    edge_id                        text,
    independence_requested_version bigint,
    independence_acked_version     bigint,
    liveness_updated_at            timestamptz
);
CREATE INDEX orchestrator_instances_organization ON orchestrator_instances (organization_id, orchestrator_id);
CREATE INDEX orchestrator_instances_status ON orchestrator_instances (status, last_seen DESC);

-- Every admin action, append-only.
CREATE TABLE activity_logs (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    actor_role  text,
    action      text        NOT NULL,
    target_type text        NOT NULL,
    target_id   text        NOT NULL,
    details     jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object')
);
CREATE INDEX activity_logs_time ON activity_logs (occurred_at DESC, id DESC);
CREATE INDEX activity_logs_actor ON activity_logs (actor, occurred_at DESC);
CREATE INDEX activity_logs_action ON activity_logs (action, occurred_at DESC);
CREATE INDEX activity_logs_target ON activity_logs (target_type, target_id, occurred_at DESC);

-- The transactional outbox: written in the same transaction as the change it announces,
-- published to Kafka in id order by the relay. A NULL payload is a tombstone.
CREATE TABLE outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic        text        NOT NULL,
    message_key  text        NOT NULL,
    payload      jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Monitoring reports and config snapshots; (orchestrator, message id) makes redelivery harmless.
CREATE TABLE orchestrator_reports (
    orchestrator_id text        NOT NULL,
    message_id      uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('monitoring_report', 'config_snapshot')),
    produced_at     timestamptz,
    received_at     timestamptz NOT NULL,
    data            jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    ingested_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (orchestrator_id, message_id)
);
CREATE INDEX orchestrator_reports_latest ON orchestrator_reports (orchestrator_id, kind, received_at DESC);
CREATE INDEX orchestrator_reports_time ON orchestrator_reports (received_at DESC);

CREATE TABLE recommendations (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    orchestrator_id text        NOT NULL,
    message_id      uuid        NOT NULL,
    title           text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     text,
    severity        text        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    category        text,
    proposed_action jsonb,
    data            jsonb       NOT NULL,
    produced_at     timestamptz,
    received_at     timestamptz NOT NULL,
    ingested_at     timestamptz NOT NULL DEFAULT now(),
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ACCEPTED', 'REJECTED')),
    decided_by      text,
    decided_at      timestamptz,
    decision_note   text        CHECK (length(decision_note) <= 2000),
    UNIQUE (orchestrator_id, message_id),
    CHECK ((status = 'PENDING') = (decided_at IS NULL))
);
CREATE INDEX recommendations_inbox ON recommendations (status, received_at DESC);
CREATE INDEX recommendations_orchestrator ON recommendations (orchestrator_id, received_at DESC);

-- Materialized from orchestrator.liveness-transitions.v1; replays insert nothing twice.
CREATE TABLE liveness_transitions (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    orchestrator_id text        NOT NULL,
    from_status     text,
    to_status       text        NOT NULL,
    reason          text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    evidence        jsonb       NOT NULL DEFAULT '{}',
    UNIQUE (orchestrator_id, occurred_at, to_status)
);
CREATE INDEX liveness_transitions_time ON liveness_transitions (occurred_at DESC);

-- Materialized from orchestrator.liveness-windows.v1; a later record for a window replaces it.
CREATE TABLE liveness_windows (
    orchestrator_id text        NOT NULL,
    window_start    timestamptz NOT NULL,
    window_end      timestamptz NOT NULL CHECK (window_end > window_start),
    heartbeats      bigint      NOT NULL CHECK (heartbeats >= 0),
    seconds_active  integer     NOT NULL CHECK (seconds_active >= 0),
    PRIMARY KEY (orchestrator_id, window_start)
);

-- The seed's legacy table, kept as a view for whatever still reads it.
CREATE VIEW orchestrators (orchestrator_id, organization_id, last_heartbeat) AS
    SELECT orchestrator_id, organization_id, last_seen FROM orchestrator_instances;
