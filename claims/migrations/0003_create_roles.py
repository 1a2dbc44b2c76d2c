"""Create the Editor and Reviewer groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = {
    "sources": {
        "outlet": ["add", "change", "view"],
        "person": ["add", "change", "view"],
        "source": ["add", "change", "view"],
        "quote": ["add", "change", "view", "delete"],
    },
    "claims": {
        "claim": ["add", "change", "view", "submit"],
        "evidence": ["add", "change", "view", "delete"],
        "topic": ["add", "change", "view"],
        "rating": ["view"],
        "reviewevent": ["view"],
        "correction": ["view"],
        "claimrelation": ["add", "change", "view", "delete"],
    },
}
REVIEWER_EXTRA = {"claims": {"claim": ["review"]}}


def codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                codename = f"{action}_{model}" if action in {"add", "change", "view", "delete"} else f"{action}_claim"
                yield app_label, codename


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(spec):
        return [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames(spec)
        ]

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(perms(EDITOR))
    reviewer, _ = Group.objects.get_or_create(name="Reviewer")
    reviewer.permissions.set(perms(EDITOR) + perms(REVIEWER_EXTRA))


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_seed_ratings"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, drop_roles)]
