from django.apps import AppConfig


class FactchecktoolsConfig(AppConfig):
    """Google's Fact Check Tools API (v1alpha1) spoken by our server: ``claims:search`` over our
    published reviews and ``pages`` (ClaimReview markup pages) read from our reviews and written
    as drafts for the desk."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "factchecktools"
    verbose_name = "Fact Check Tools API"
