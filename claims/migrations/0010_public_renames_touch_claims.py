"""Renames that public pages show: touch the claims showing them, and let Reviewers make them.

- A person's new name touches the claims where they are the claimant (migration 0004) AND now
  those quoting them as a speaker; an outlet's new name touches the claims citing its sources.
  Their ``updated_at`` ("last updated" on the public page) and version (ETag) move. (A rating's
  label does the same through ``Rating``'s own trigger, migration 0009.) The triggers live in
  claims because the lower layer (sources) never knows about claims.
- ``sources.rename_public_person`` / ``rename_public_outlet`` go to the Reviewer group
  (sources.services checks them before such a rename).
- Reviews imported before ``external_reviewed_at`` existed were stored with the review date as
  ``published_at``: copy it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F

TOUCH = """
CREATE OR REPLACE FUNCTION claims_touch_from_person() RETURNS trigger AS $$
BEGIN
  UPDATE claims_claim SET updated_at = now()
   WHERE claimant_id = NEW.id
      OR (OLD.name IS DISTINCT FROM NEW.name AND id IN (
          SELECT e.claim_id FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id
           WHERE q.speaker_id = NEW.id));
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION claims_touch_from_outlet() RETURNS trigger AS $$
BEGIN
  UPDATE claims_claim SET updated_at = now() WHERE id IN (
    SELECT e.claim_id FROM claims_evidence e JOIN sources_source s ON s.id = e.source_id
     WHERE s.outlet_id = NEW.id);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER claims_touch_from_outlet AFTER UPDATE OF name ON sources_outlet
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION claims_touch_from_outlet();
"""
UNTOUCH = """
DROP TRIGGER IF EXISTS claims_touch_from_outlet ON sources_outlet;
DROP FUNCTION IF EXISTS claims_touch_from_outlet();
CREATE OR REPLACE FUNCTION claims_touch_from_person() RETURNS trigger AS $$
BEGIN
  UPDATE claims_claim SET updated_at = now() WHERE claimant_id = NEW.id;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""

RENAME_PERMISSIONS = [("sources", "rename_public_person"), ("sources", "rename_public_outlet")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = [Permission.objects.get(content_type__app_label=app, codename=codename)
             for app, codename in RENAME_PERMISSIONS]
    for group in Group.objects.filter(name="Reviewer"):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="sources",
                                      codename__in=[c for _, c in RENAME_PERMISSIONS])
    for group in Group.objects.filter(name="Reviewer"):
        group.permissions.remove(*perms)


def copy_review_dates(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Claim.objects.filter(is_external=True, external_reviewed_at__isnull=True).update(
        external_reviewed_at=F("published_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_audit_taxonomy_external_reviewed_at"),
        ("sources", "0004_audit_people_outlets_rename_permissions"),
    ]
    operations = [
        migrations.RunSQL(TOUCH, UNTOUCH),
        migrations.RunPython(grant, revoke),
        migrations.RunPython(copy_review_dates, migrations.RunPython.noop),
    ]
