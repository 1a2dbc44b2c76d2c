from django.db import migrations

RATINGS = [
    ("True", "true", 5, "The statement is accurate and nothing significant is missing."),
    ("Mostly true", "mostly-true", 4,
     "The statement is accurate but needs clarification or additional information."),
    ("Half true", "half-true", 3,
     "The statement is partially accurate but leaves out important details or takes things out of context."),
    ("Mostly false", "mostly-false", 2,
     "The statement contains an element of truth but ignores facts that would give a different impression."),
    ("False", "false", 1, "The statement is not accurate."),
    ("Misleading", "misleading", None,
     "Accurate facts presented in a way that leads to a false conclusion."),
    ("Unproven", "unproven", None,
     "The evidence available does not allow the statement to be confirmed or refuted."),
]


def seed(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    for order, (label, slug, value, description) in enumerate(RATINGS):
        Rating.objects.update_or_create(
            slug=slug,
            defaults={"label": label, "value": value, "description": description, "order": order},
        )


def unseed(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    Rating.objects.filter(slug__in=[slug for _, slug, _, _ in RATINGS], claims__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
