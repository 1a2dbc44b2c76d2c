from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed webhook deliveries (Standard Webhooks) of the change feed, through the job queue."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = "Webhooks"
