"""Every new change-feed event queues the webhook dispatcher, in the event's own transaction.

One queued dispatch at a time (procrastinate's queueing lock): a burst of events is dispatched in
one pass. Nothing is queued while no endpoint is active.
"""

from django.db import migrations

from events.job_triggers import queue_job_on_event

FORWARD, BACKWARD = queue_job_on_event(
    "webhooks_queue_dispatch",
    condition="EXISTS (SELECT 1 FROM webhooks_webhookendpoint WHERE is_active)",
    task="webhooks.tasks.dispatch_deliveries", lock="webhooks-dispatch")


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_endpoints_and_deliveries"),
        ("events", "0002_event_triggers"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
