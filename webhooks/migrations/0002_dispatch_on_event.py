"""Every new change-feed event queues the webhook dispatcher, in the event's own transaction.

One queued dispatch at a time (procrastinate's queueing lock): a burst of events is dispatched in
one pass. Nothing is queued while no endpoint is active.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION webhooks_queue_dispatch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM webhooks_webhookendpoint WHERE is_active) THEN
        INSERT INTO procrastinate_jobs (queue_name, task_name, args, queueing_lock)
        VALUES ('webhooks', 'webhooks.tasks.dispatch_deliveries', '{}'::jsonb, 'webhooks-dispatch')
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER webhooks_queue_dispatch AFTER INSERT ON events_event
    FOR EACH STATEMENT EXECUTE FUNCTION webhooks_queue_dispatch();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS webhooks_queue_dispatch ON events_event;
DROP FUNCTION IF EXISTS webhooks_queue_dispatch();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_endpoints_and_deliveries"),
        ("events", "0002_event_triggers"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
