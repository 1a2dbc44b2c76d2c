"""Search windows: where each claim sits in publication time, inside its search vector.

Relevance ranks the newest ``CANDIDATE_LIMIT`` matches of a query (``claims.search``). Finding
them at a million claims without reading every match of a common word needs the GIN index to
intersect a word with a publication period; the one index holds both when the period is written
into the vector as lexemes no query word can produce (they start with ``~``):

- ``fc_publication_buckets(published_at)``: ``~t20261128`` (UTC day), ``~m202611`` (month),
  ``~y2026`` (year), ``~d202`` (decade; every year from 2100 on shares ``~d210``), or
  ``~unpublished`` for a claim never published (which sorts first in ``published_at DESC``);
- ``fc_published_since(since date, unpublished boolean)``: the tsquery matching exactly the
  vectors of claims published on or after ``since`` (UTC), and of claims never published when
  ``unpublished`` — the days left in since's month, the months left in its year, the years left
  in its decade, every later decade, ``~unpublished`` (at most 31 + 11 + 9 + a few decades;
  whole months, years and decades when ``since`` starts one);
- ``fc_search_windows()``: the dates the windows start at — the newest 1 %, 4 %, 16 % and 50 % of
  published claims by ``pg_stats``' histogram of ``published_at`` (an estimate: it only decides how
  early a search stops, never its result), rounded down to a month beyond two months and to a
  year beyond two years so a window names few lexemes — newest first, then NULL (no window).

The claim_search trigger appends the buckets; existing vectors get them in one statement with the
claim triggers disabled (nothing a reader sees changed: no version bump, no history, no event).
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION fc_publication_buckets(published timestamptz) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN published IS NULL THEN array_to_tsvector(ARRAY['~unpublished'])
  ELSE array_to_tsvector(ARRAY[
    '~t' || to_char(published AT TIME ZONE 'UTC', 'YYYYMMDD'),
    '~m' || to_char(published AT TIME ZONE 'UTC', 'YYYYMM'),
    '~y' || to_char(published AT TIME ZONE 'UTC', 'YYYY'),
    '~d' || least(extract(year FROM published AT TIME ZONE 'UTC')::int / 10, 210)])
  END
$$;

CREATE OR REPLACE FUNCTION fc_published_since(since date, unpublished boolean DEFAULT true)
RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  lexemes text[] := CASE WHEN unpublished THEN ARRAY['~unpublished'] ELSE ARRAY[]::text[] END;
  d date := since;
  decade int;
BEGIN
  IF since IS NULL THEN
    RETURN NULL;
  END IF;
  IF extract(day FROM d) > 1 THEN  -- the days left in the month
    LOOP
      lexemes := lexemes || ('~t' || to_char(d, 'YYYYMMDD'));
      d := d + 1;
      EXIT WHEN extract(day FROM d) = 1;
    END LOOP;
  END IF;
  IF extract(month FROM d) > 1 THEN  -- the months left in the year
    LOOP
      lexemes := lexemes || ('~m' || to_char(d, 'YYYYMM'));
      d := (d + interval '1 month')::date;
      EXIT WHEN extract(month FROM d) = 1;
    END LOOP;
  END IF;
  IF extract(year FROM d)::int % 10 <> 0 THEN  -- the years left in the decade
    LOOP
      lexemes := lexemes || ('~y' || to_char(d, 'YYYY'));
      d := (d + interval '1 year')::date;
      EXIT WHEN extract(year FROM d)::int % 10 = 0;
    END LOOP;
  END IF;
  FOR decade IN least(extract(year FROM d)::int / 10, 210) .. 210 LOOP  -- every later decade
    lexemes := lexemes || ('~d' || decade);
  END LOOP;
  RETURN (SELECT string_agg(quote_literal(lexeme), ' | ') FROM unnest(lexemes) AS lexeme)::tsquery;
END
$$;

CREATE OR REPLACE FUNCTION fc_search_windows() RETURNS date[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
  bounds timestamptz[];
  n int;
  share numeric;
  since date;
  today date := (now() AT TIME ZONE 'UTC')::date;
  starts date[] := '{}';
BEGIN
  SELECT histogram_bounds::text::timestamptz[] INTO bounds
    FROM pg_stats
   WHERE schemaname = current_schema() AND tablename = 'claims_claim' AND attname = 'published_at';
  n := coalesce(cardinality(bounds), 0);
  IF n > 1 THEN
    FOREACH share IN ARRAY ARRAY[0.01, 0.04, 0.16, 0.5] LOOP  -- older and older: newest first
      since := (bounds[greatest(1, n - ceil(share * (n - 1))::int)] AT TIME ZONE 'UTC')::date;
      since := CASE WHEN today - since > 730 THEN date_trunc('year', since)::date
                    WHEN today - since > 62 THEN date_trunc('month', since)::date
                    ELSE since END;
      IF NOT since = ANY (starts) THEN
        starts := starts || since;
      END IF;
    END LOOP;
  END IF;
  RETURN starts || ARRAY[NULL::date];  -- then no window
END
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS fc_search_windows();
DROP FUNCTION IF EXISTS fc_published_since(date, boolean);
DROP FUNCTION IF EXISTS fc_publication_buckets(timestamptz);
"""

# Existing vectors get their buckets; the claim triggers (version bump, history, events, the
# search trigger itself) stay out of this one statement.
BACKFILL = """
ALTER TABLE claims_claim DISABLE TRIGGER USER;
UPDATE claims_claim SET search_vector = coalesce(search_vector, ''::tsvector)
                                         || fc_publication_buckets(published_at);
ALTER TABLE claims_claim ENABLE TRIGGER USER;
"""
UNDO_BACKFILL = """
ALTER TABLE claims_claim DISABLE TRIGGER USER;
UPDATE claims_claim SET search_vector = ts_filter(search_vector, '{a,b,c}');
ALTER TABLE claims_claim ENABLE TRIGGER USER;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0018_translatable_labels'),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        pgtrigger.migrations.RemoveTrigger(
            model_name='claim',
            name='claim_search',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='claim',
            trigger=pgtrigger.compiler.Trigger(name='claim_search', sql=pgtrigger.compiler.UpsertTriggerSql(func="\nDECLARE\n  config regconfig := fc_regconfig(NEW.language);\n  claimant_name text;\n  quote_texts text;\n  quotes_vector tsvector := ''::tsvector;\n  quote record;  -- one language's quotes: config, texts\nBEGIN\n  SELECT coalesce(p.name, '') || ' ' || array_to_string(p.aliases, ' ') INTO claimant_name\n    FROM sources_person p WHERE p.id = NEW.claimant_id;\n  SELECT string_agg(q.text, ' ' ORDER BY e.id) INTO quote_texts\n    FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id\n   WHERE e.claim_id = NEW.id;\n  -- The quotes of each language together, in their configuration, languages in order of appearance.\n  FOR quote IN SELECT fc_regconfig(coalesce(nullif(q.language, ''), NEW.language)) AS config,\n                      string_agg(q.text, ' ' ORDER BY e.id) AS texts\n                 FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id\n                WHERE e.claim_id = NEW.id\n                GROUP BY 1 ORDER BY min(e.id) LOOP\n    quotes_vector := quotes_vector || to_tsvector(quote.config, quote.texts);\n  END LOOP;\n  NEW.search_text := concat_ws(' ', NEW.text, claimant_name, NEW.rating_explanation,\n                               quote_texts, NEW.analysis);\n  NEW.search_vector :=\n      setweight(to_tsvector(config, coalesce(NEW.text, '')), 'A')\n   || setweight(to_tsvector(config, coalesce(claimant_name, '')), 'A')\n   || setweight(to_tsvector(config, coalesce(NEW.rating_explanation, '')), 'B')\n   || setweight(quotes_vector, 'B')\n   || setweight(to_tsvector(config, coalesce(NEW.analysis, '')), 'C')\n   -- Where the claim sits in publication time (day, month, year, decade), for search windows.\n   || fc_publication_buckets(NEW.published_at);\n  RETURN NEW;\nEND;\n", hash='d9db1f76dc9789a57bf5df8bb93a5a02328aabda', operation='INSERT OR UPDATE', pgid='pgtrigger_claim_search_7fe64', table='claims_claim', when='BEFORE')),
        ),
        migrations.RunSQL(BACKFILL, UNDO_BACKFILL),
    ]
