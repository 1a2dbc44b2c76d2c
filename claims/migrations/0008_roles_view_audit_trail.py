"""Let Editors and Reviewers read the audit trail (pghistory's Events admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [("pghistory", "view_events")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]
    for group in Group.objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="pghistory", codename="view_events")
    for group in Group.objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_claim_public_published_index"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
