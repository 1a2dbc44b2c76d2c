"""A trigram index on quote texts, for finding quote variants (sources.variants)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0002_quote_previous_exact'),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS quote_text_trgm ON sources_quote USING gin (text gin_trgm_ops);",
            "DROP INDEX IF EXISTS quote_text_trgm;",
        ),
    ]
