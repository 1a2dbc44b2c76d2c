"""A lexicon of the words in claims' search text, with a trigram index, for misspelled queries.

``claims.search`` expands a query word the lexicon does not know to its nearest known words
(``similarity``/``%`` over this small table is fast, unlike trigram matching whole texts). The
lexicon is filled by statement-level triggers (one INSERT per statement, so bulk loads stay fast)
and only grows: a stale word costs nothing but an alternative that matches no claim.
"""

from django.db import migrations

LEXICON = """
CREATE TABLE claims_search_word (word text PRIMARY KEY);
CREATE INDEX claims_search_word_trgm ON claims_search_word USING gin (word gin_trgm_ops);

CREATE OR REPLACE FUNCTION claims_search_words_collect() RETURNS trigger AS $$
BEGIN
  INSERT INTO claims_search_word (word)
  SELECT DISTINCT w
    FROM new_rows, regexp_split_to_table(lower(new_rows.search_text), '[^[:alnum:]]+') AS w
   WHERE length(w) BETWEEN 3 AND 40
   ORDER BY w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER claims_search_words_insert AFTER INSERT ON claims_claim
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION claims_search_words_collect();
CREATE TRIGGER claims_search_words_update AFTER UPDATE ON claims_claim
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION claims_search_words_collect();

INSERT INTO claims_search_word (word)
SELECT DISTINCT w FROM claims_claim, regexp_split_to_table(lower(search_text), '[^[:alnum:]]+') AS w
 WHERE length(w) BETWEEN 3 AND 40
ON CONFLICT DO NOTHING;
"""

DROP_LEXICON = """
DROP TRIGGER IF EXISTS claims_search_words_insert ON claims_claim;
DROP TRIGGER IF EXISTS claims_search_words_update ON claims_claim;
DROP FUNCTION IF EXISTS claims_search_words_collect();
DROP TABLE IF EXISTS claims_search_word;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0004_claim_search_vector"),
    ]

    operations = [migrations.RunSQL(LEXICON, DROP_LEXICON)]
