from django.apps import AppConfig


class EventsConfig(AppConfig):
    """The change feed: an outbox of what API clients care about, written by database triggers
    in the same transaction as the change (whatever door it came through)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Change feed"
