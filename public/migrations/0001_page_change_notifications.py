"""Every committed write to a table the public pages show notifies ``factcheck_pages``
(public/changes.py): one statement-level trigger per table, one notification per transaction
(PostgreSQL folds identical notifications of a transaction into one).

Not covered, on purpose: the audit-trail tables (``*event``, written with the tables they track)
and the search lexicon and configurations (written with the claims). A new table of ``claims`` or
``sources`` must be added here or to that list: tests/public/test_changes.py fails until it is.
"""

from django.db import migrations

TABLES = [
    "claims_claim", "claims_claim_topics", "claims_claimrelation", "claims_claimreviewfeed",
    "claims_correction", "claims_evidence", "claims_rating", "claims_reviewevent", "claims_topic",
    "sources_outlet", "sources_person", "sources_quote", "sources_quote_variants", "sources_source",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION fc_pages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('factcheck_pages', '');
  RETURN NULL;
END $$;
"""
TRIGGER = """
CREATE TRIGGER fc_pages_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION fc_pages_changed();
"""
DROP_TRIGGER = "DROP TRIGGER IF EXISTS fc_pages_changed ON {table};"


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0019_search_windows"),
        ("sources", "0009_translatable_labels"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS fc_pages_changed();"),
        migrations.RunSQL(
            "".join(TRIGGER.format(table=table) for table in TABLES),
            "".join(DROP_TRIGGER.format(table=table) for table in TABLES),
        ),
    ]
