"""Every new change-feed event queues the saved-search matcher, in the event's own transaction,
while some saved search notifies an active webhook endpoint (one queued run at a time)."""

from django.db import migrations

from events.job_triggers import queue_job_on_event

FORWARD, BACKWARD = queue_job_on_event(
    "saved_searches_queue_match",
    condition="EXISTS (SELECT 1 FROM saved_searches_savedsearch s JOIN webhooks_webhookendpoint e "
              "ON e.id = s.notify_endpoint_id WHERE e.is_active)",
    task="saved_searches.tasks.match_saved_searches", lock="saved-searches-match")


class Migration(migrations.Migration):
    dependencies = [
        ("saved_searches", "0003_owned_by_user_or_organisation_and_notify"),
        ("webhooks", "0004_owned_by_user_or_organisation"),
        ("events", "0002_event_triggers"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
