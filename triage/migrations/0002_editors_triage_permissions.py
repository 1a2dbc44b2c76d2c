"""Let Editors and Reviewers work the triage queue (view and decide) and see the models."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    ("triage", "view_sentencecandidate"),
    ("triage", "change_sentencecandidate"),
    ("triage", "view_triagemodel"),
]


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
    perms = Permission.objects.filter(content_type__app_label="triage",
                                      codename__in=[codename for _, codename in PERMISSIONS])
    for group in Group.objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_candidates_and_models"),
        ("claims", "0008_roles_view_audit_trail"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
