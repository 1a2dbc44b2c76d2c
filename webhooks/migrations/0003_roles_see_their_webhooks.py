"""Editors and Reviewers see their own webhooks and delivery logs in admin (and re-send)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_webhookendpoint", "view_webhookdelivery", "change_webhookdelivery"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="webhooks", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="webhooks", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_dispatch_on_event"),
        ("claims", "0008_roles_view_audit_trail"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
