"""Keep each claim's search vector in its row (``STORAGE MAIN``).

A relevance search ranks its ``CANDIDATE_LIMIT`` candidates with ``ts_rank`` over their search
vectors. With the default storage (``EXTENDED``) PostgreSQL moved the vector of most claims with
an analysis out of the row into the TOAST table, so ranking 500 candidates fetched 500 TOAST
entries: reading 500 candidates' vectors took 1.0–1.2 ms that way and 0.2–0.3 ms from the row
(docs/scaling.md, "Search at 1,000,000 claims"). ``MAIN`` keeps it in the row (compressed if
need be) and moves the long texts (analysis, search text) out first.

Rows written from now on (a new claim, and every edit: the search trigger rewrites the vector)
are stored this way; nothing is rewritten here. docs/operations.md gives the statement that moves
an existing archive's vectors at once.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0019_search_windows'),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE claims_claim ALTER COLUMN search_vector SET STORAGE MAIN",
            "ALTER TABLE claims_claim ALTER COLUMN search_vector SET STORAGE EXTENDED",
        ),
    ]
