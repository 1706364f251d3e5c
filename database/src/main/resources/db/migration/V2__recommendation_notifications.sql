-- A new recommendation is announced on the 'recommendation_created' channel, so the dashboard
-- sees it as soon as report-ingest's transaction commits (notifications are sent on commit).
CREATE FUNCTION notify_recommendation_created() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('recommendation_created', json_build_object(
        'id', NEW.id, 'orchestratorId', NEW.orchestrator_id, 'title', NEW.title,
        'severity', NEW.severity, 'receivedAt', NEW.received_at)::text);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER recommendations_notify AFTER INSERT ON recommendations
    FOR EACH ROW EXECUTE FUNCTION notify_recommendation_created();
