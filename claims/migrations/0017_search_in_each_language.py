"""Full-text search in each text's own language, accents ignored.

- ``unaccent`` and one text search configuration per language PostgreSQL stems: ``fc_<code>``
  (``fc_es``, ``fc_en``…, named by the BCP 47 primary subtag) COPYing the built-in one with
  ``unaccent`` before the stemmer, and ``fc_simple`` (no stemming) for every other language. Only
  the languages this server has are created (the list grows with PostgreSQL versions).
- ``fc_regconfig(language)``: the configuration of a BCP 47 code (``es-MX`` → ``fc_es``).
- ``claims_search_config``: the configurations the search vectors use (claims' and their quotes'
  languages), filled by the statement-level trigger that fills the lexicon; a query is parsed in
  each of them (``claims.search``). It only grows, like the lexicon.
- The lexicon keeps words without accents (a misspelled ``soberania`` finds ``soberanía``).
- A quote's language, like its words, touches the claims citing it (their vectors follow).
- Existing claims get their ``language_source`` (see ``claim_language``) and, in the same pass,
  their vectors in the new configurations; ``updated_at``/``version`` do not move (the bump
  trigger is disabled for that one statement batch: nothing a reader sees changed).
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

from sources.language import DEFAULT, DETECTED, GIVEN, backfill, detect_language

# BCP 47 primary subtag → PostgreSQL's built-in configuration (and its ``<name>_stem`` dictionary).
STEMMED_LANGUAGES = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "et": "estonian", "eu": "basque", "fi": "finnish",
    "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian",
    "id": "indonesian", "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch",
    "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
LANGUAGE_VALUES = ", ".join(f"('{code}', '{name}')" for code, name in sorted(STEMMED_LANGUAGES.items()))

SETUP = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION fc_simple (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION fc_simple
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, hword, hword_part, word
  WITH unaccent, simple;

DO $$
DECLARE
  lang record;
BEGIN
  FOR lang IN SELECT * FROM (VALUES {LANGUAGE_VALUES}) AS l(code, name) LOOP
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_ts_config
                WHERE cfgname = lang.name AND cfgnamespace = 'pg_catalog'::regnamespace) THEN
      EXECUTE format('CREATE TEXT SEARCH CONFIGURATION %I (COPY = pg_catalog.%I)',
                     'fc_' || lang.code, lang.name);
      EXECUTE format('ALTER TEXT SEARCH CONFIGURATION %I ALTER MAPPING FOR hword, hword_part, word '
                     'WITH unaccent, %I', 'fc_' || lang.code, lang.name || '_stem');
    END IF;
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION fc_regconfig(language text) RETURNS regconfig
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(
           (SELECT c.oid::regconfig FROM pg_catalog.pg_ts_config c
             WHERE p ~ '^[a-z]{{2,3}}$'
               AND c.cfgname = 'fc_' || CASE WHEN p IN ('nb', 'nn') THEN 'no' ELSE p END
               AND c.cfgnamespace = (SELECT s.cfgnamespace FROM pg_catalog.pg_ts_config s
                                      WHERE s.oid = 'fc_simple'::regconfig)),
           'fc_simple'::regconfig)
    FROM (SELECT lower(split_part(replace(coalesce(language, ''), '_', '-'), '-', 1)) AS p) AS code
$$;

CREATE TABLE claims_search_config (config text PRIMARY KEY);

CREATE OR REPLACE FUNCTION claims_search_words_collect() RETURNS trigger AS $$
BEGIN
  INSERT INTO claims_search_word (word)
  SELECT DISTINCT w
    FROM new_rows, regexp_split_to_table(unaccent(lower(new_rows.search_text)), '[^[:alnum:]]+') AS w
   WHERE length(w) BETWEEN 3 AND 40
   ORDER BY w
  ON CONFLICT DO NOTHING;
  INSERT INTO claims_search_config (config)
  SELECT DISTINCT fc_regconfig(coalesce(nullif(q.language, ''), new_rows.language))::text
    FROM new_rows
    LEFT JOIN claims_evidence e ON e.claim_id = new_rows.id
    LEFT JOIN sources_quote q ON q.id = e.quote_id
   ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS claims_touch_from_quote ON sources_quote;
CREATE TRIGGER claims_touch_from_quote AFTER UPDATE OF text, language ON sources_quote
  FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.language IS DISTINCT FROM NEW.language)
  EXECUTE FUNCTION claims_touch_from_quote();
"""

DROP_SETUP = """
DROP TRIGGER IF EXISTS claims_touch_from_quote ON sources_quote;
CREATE TRIGGER claims_touch_from_quote AFTER UPDATE OF text ON sources_quote
  FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION claims_touch_from_quote();
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
DROP TABLE IF EXISTS claims_search_config;
DROP FUNCTION IF EXISTS fc_regconfig(text);
DO $$
DECLARE
  config record;
BEGIN
  FOR config IN SELECT cfgname FROM pg_catalog.pg_ts_config WHERE left(cfgname, 3) = 'fc_' LOOP
    EXECUTE format('DROP TEXT SEARCH CONFIGURATION %I', config.cfgname);
  END LOOP;
END $$;
"""

# The version bump trigger, off while existing rows are re-indexed (then on again).
BUMP_TRIGGER = """
DO $$
DECLARE
  name text;
BEGIN
  FOR name IN SELECT tgname FROM pg_trigger WHERE tgrelid = 'claims_claim'::regclass
                 AND tgname LIKE 'pgtrigger_claim_bump_version_%' LOOP
    EXECUTE format('ALTER TABLE claims_claim {} TRIGGER %I', name);
  END LOOP;
END $$;
"""

LEXICON_WITHOUT_ACCENTS = """
DELETE FROM claims_search_word WHERE word <> unaccent(word);
INSERT INTO claims_search_word (word)
SELECT DISTINCT w FROM claims_claim,
       regexp_split_to_table(unaccent(lower(search_text)), '[^[:alnum:]]+') AS w
 WHERE length(w) BETWEEN 3 AND 40
ON CONFLICT DO NOTHING;
"""

OLD_DEFAULT = "en"


def claim_language(claim) -> tuple[str, str]:
    """A language other than the old default "en" was chosen by someone: given. An "en" may have
    been the default: detected from the text (or kept as the default when too short to tell)."""
    if claim.language != OLD_DEFAULT:
        return claim.language, GIVEN
    detected = detect_language(claim.text)
    return (detected, DETECTED) if detected else (OLD_DEFAULT, DEFAULT)


def reindex_claims(apps, schema_editor):
    """Every claim gets its language_source; the UPDATE re-runs the search trigger (new vectors)."""
    Claim = apps.get_model("claims", "Claim")
    backfill(Claim.objects.only("pk", "text", "language"), claim_language)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0016_claim_language_source'),
        ('sources', '0008_languages_of_existing_sources_and_quotes'),
    ]

    operations = [
        migrations.RunSQL(SETUP, DROP_SETUP),
        pgtrigger.migrations.RemoveTrigger(
            model_name='claim',
            name='claim_search',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='claim',
            trigger=pgtrigger.compiler.Trigger(name='claim_search', sql=pgtrigger.compiler.UpsertTriggerSql(func="\nDECLARE\n  config regconfig := fc_regconfig(NEW.language);\n  claimant_name text;\n  quote_texts text;\n  quotes_vector tsvector := ''::tsvector;\n  quote record;  -- one language's quotes: config, texts\nBEGIN\n  SELECT coalesce(p.name, '') || ' ' || array_to_string(p.aliases, ' ') INTO claimant_name\n    FROM sources_person p WHERE p.id = NEW.claimant_id;\n  SELECT string_agg(q.text, ' ' ORDER BY e.id) INTO quote_texts\n    FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id\n   WHERE e.claim_id = NEW.id;\n  -- The quotes of each language together, in their configuration, languages in order of appearance.\n  FOR quote IN SELECT fc_regconfig(coalesce(nullif(q.language, ''), NEW.language)) AS config,\n                      string_agg(q.text, ' ' ORDER BY e.id) AS texts\n                 FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id\n                WHERE e.claim_id = NEW.id\n                GROUP BY 1 ORDER BY min(e.id) LOOP\n    quotes_vector := quotes_vector || to_tsvector(quote.config, quote.texts);\n  END LOOP;\n  NEW.search_text := concat_ws(' ', NEW.text, claimant_name, NEW.rating_explanation,\n                               quote_texts, NEW.analysis);\n  NEW.search_vector :=\n      setweight(to_tsvector(config, coalesce(NEW.text, '')), 'A')\n   || setweight(to_tsvector(config, coalesce(claimant_name, '')), 'A')\n   || setweight(to_tsvector(config, coalesce(NEW.rating_explanation, '')), 'B')\n   || setweight(quotes_vector, 'B')\n   || setweight(to_tsvector(config, coalesce(NEW.analysis, '')), 'C');\n  RETURN NEW;\nEND;\n", hash='e7fdbc39cab0121930d81bcd83a994712fc4f10e', operation='INSERT OR UPDATE', pgid='pgtrigger_claim_search_7fe64', table='claims_claim', when='BEFORE')),
        ),
            migrations.RunSQL(BUMP_TRIGGER.format("DISABLE"), BUMP_TRIGGER.format("ENABLE")),
        migrations.RunPython(reindex_claims, migrations.RunPython.noop, elidable=True),
        migrations.RunSQL(BUMP_TRIGGER.format("ENABLE"), BUMP_TRIGGER.format("DISABLE")),
        migrations.RunSQL(LEXICON_WITHOUT_ACCENTS, migrations.RunSQL.noop),
    ]
