from django.apps import AppConfig


class SavedSearchesConfig(AppConfig):
    """Named claim searches: the claims list's own query parameters, kept per user, with a count of
    what is new since the last visit and an export."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "saved_searches"
    verbose_name = "Saved searches"
