"""Indexes for every ordering the claims API offers to the public, at 1,000,000 claims.

The public list is ``status IN ('published', 'retracted')`` keyset-paged on ``(field, id)``;
``-published_at``/``published_at`` (and the candidates of a relevance search) are served by
``claim_public_pub_idx`` (0007), a B-tree read either way. These add the same for ``claim_date``
and ``updated_at`` (ascending and descending: one index each, read forwards or backwards), so no
ordering sorts the public claims. Built CONCURRENTLY (non-atomic migration) so that a large table
keeps taking writes; raw SQL, so that ``claims/models.py`` stays as it is (the indexes are listed
in docs/scaling.md).
"""

from django.db import migrations

PUBLIC = "status IN ('published', 'retracted')"
INDEXES = {
    "claim_public_claim_date_idx": "(claim_date, id)",
    "claim_public_updated_idx": "(updated_at, id)",
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0008_roles_view_audit_trail"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON claims_claim {columns} WHERE {PUBLIC}",
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
