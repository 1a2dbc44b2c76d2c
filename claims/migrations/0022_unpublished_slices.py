"""A staff search reads the claims never published in slices too (claims/search.py).

Claims never published sort first in a search's candidates (``published_at DESC``, then the
newest ``id``), and before this every one of them sat in the newest slice: for an editor's
search of a common word the index handed over every draft that matched (17,000 of them at
1,000,000 claims, 17 % never published) to sort 500 — 225 ms. Now:

- ``fc_unpublished_buckets(claim_id, published_at)``: a never-published claim's vector also holds
  the blocks of ids it sits in, ``~ua<id >> 10>`` (1,024 ids) up to ``~uf<id >> 30>`` (a
  thousand million), in steps of 16; nothing for a published claim.
- ``fc_unpublished_between(low, high)``: the tsquery matching exactly the never-published claims
  whose id is in ``[low, high)`` (multiples of 1,024): the fewest blocks that cover the span.
- ``fc_search_slices(unpublished)``: every slice a search reads, newest first, as tsqueries: when
  the search holds the never-published claims, slices of ids (the newest 1 %, 4 %, 16 %, 50 % of
  the id range, then the rest; each rounded to blocks of at most an eighth of its size), then the
  slices of publication time (``fc_search_windows()``'s starts and the earliest publication,
  ``fc_published_between``; migration 0021). Every claim is in exactly one slice, and the slices
  come in the candidates' order.

The claim_search trigger appends the id blocks; existing never-published vectors get them in one
statement with the claim triggers disabled (as migration 0019 did: nothing a reader sees changed).
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION fc_unpublished_buckets(claim_id bigint, published timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN published IS NOT NULL OR claim_id IS NULL THEN ''::tsvector
  ELSE array_to_tsvector(ARRAY(
    SELECT '~u' || chr(96 + level) || (claim_id >> (6 + 4 * level))  -- level 1: ~ua, id >> 10
      FROM generate_series(1, 6) AS level))
  END
$$;

CREATE OR REPLACE FUNCTION fc_unpublished_between(low bigint, high bigint)
RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  lexemes text[] := ARRAY[]::text[];
  p bigint := low;
  level int;
BEGIN
  IF low % 1024 <> 0 OR high % 1024 <> 0 THEN
    RAISE EXCEPTION 'fc_unpublished_between: % and % are not multiples of 1024', low, high;
  END IF;
  WHILE p < high LOOP  -- the largest block that starts at p and ends by high
    level := 6;
    WHILE level > 1 AND (p % (1::bigint << (6 + 4 * level)) <> 0
                         OR p + (1::bigint << (6 + 4 * level)) > high) LOOP
      level := level - 1;
    END LOOP;
    lexemes := lexemes || ('~u' || chr(96 + level) || (p >> (6 + 4 * level)));
    p := p + (1::bigint << (6 + 4 * level));
  END LOOP;
  IF cardinality(lexemes) = 0 THEN  -- an empty span: a lexeme no vector holds
    RETURN '~none'::tsquery;
  END IF;
  RETURN (SELECT string_agg(quote_literal(lexeme), ' | ') FROM unnest(lexemes) AS lexeme)::tsquery;
END
$$;

CREATE OR REPLACE FUNCTION fc_search_slices(unpublished boolean)
RETURNS SETOF tsquery LANGUAGE plpgsql STABLE ROWS 10 AS $$
DECLARE
  top bigint;
  low bigint;
  high bigint;
  shift int;
  share numeric;
  starts date[];
  earliest date;
  k int;
BEGIN
  IF unpublished THEN  -- never published: first, newest id first
    SELECT ((max(id) >> 10) + 1) << 10 INTO top FROM claims_claim;
    high := top;
    FOREACH share IN ARRAY ARRAY[0.01, 0.04, 0.16, 0.5, 1] LOOP
      EXIT WHEN high IS NULL OR high = 0;
      low := floor(top * (1 - share))::bigint;
      shift := 10;  -- blocks of at most an eighth of the slice: few lexemes
      WHILE shift < 30 AND (1::bigint << (shift + 4)) * 8 <= high - low LOOP
        shift := shift + 4;
      END LOOP;
      low := (low >> shift) << shift;
      IF low < high THEN
        RETURN NEXT fc_unpublished_between(low, high);
        high := low;
      END IF;
    END LOOP;
  END IF;
  -- Published: from each of fc_search_windows()'s starts (its final NULL: the earliest
  -- publication) up to the newer start before it (the newest: no end).
  earliest := fc_earliest_publication();
  IF earliest IS NULL THEN  -- nothing was ever published
    RETURN;
  END IF;
  starts := fc_search_windows();
  FOR k IN 1 .. cardinality(starts) LOOP
    RETURN NEXT fc_published_between(coalesce(starts[k], earliest),
                                     CASE WHEN k > 1 THEN starts[k - 1] END, false);
  END LOOP;
  RETURN;
END
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS fc_search_slices(boolean);
DROP FUNCTION IF EXISTS fc_unpublished_between(bigint, bigint);
DROP FUNCTION IF EXISTS fc_unpublished_buckets(bigint, timestamptz);
"""

BACKFILL = """
ALTER TABLE claims_claim DISABLE TRIGGER USER;
UPDATE claims_claim SET search_vector = coalesce(search_vector, ''::tsvector)
                                         || fc_unpublished_buckets(id, published_at)
 WHERE published_at IS NULL;
ALTER TABLE claims_claim ENABLE TRIGGER USER;
"""
UNDO_BACKFILL = """
ALTER TABLE claims_claim DISABLE TRIGGER USER;
UPDATE claims_claim SET search_vector = ts_delete(search_vector, ARRAY(
         SELECT lexeme FROM unnest(search_vector) WHERE lexeme LIKE '~u_%' AND lexeme <> '~unpublished'))
 WHERE published_at IS NULL;
ALTER TABLE claims_claim ENABLE TRIGGER USER;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0021_search_slices'),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        pgtrigger.migrations.RemoveTrigger(
            model_name='claim',
            name='claim_search',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='claim',
            trigger=pgtrigger.compiler.Trigger(name='claim_search', sql=pgtrigger.compiler.UpsertTriggerSql(func="\nDECLARE\n  config regconfig := fc_regconfig(NEW.language);\n  claimant_name text;\n  quote_texts text;\n  quotes_vector tsvector := ''::tsvector;\n  quote record;  -- one language's quotes: config, texts\nBEGIN\n  SELECT coalesce(p.name, '') || ' ' || array_to_string(p.aliases, ' ') INTO claimant_name\n    FROM sources_person p WHERE p.id = NEW.claimant_id;\n  SELECT string_agg(q.text, ' ' ORDER BY e.id) INTO quote_texts\n    FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id\n   WHERE e.claim_id = NEW.id;\n  -- The quotes of each language together, in their configuration, languages in order of appearance.\n  FOR quote IN SELECT fc_regconfig(coalesce(nullif(q.language, ''), NEW.language)) AS config,\n                      string_agg(q.text, ' ' ORDER BY e.id) AS texts\n                 FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id\n                WHERE e.claim_id = NEW.id\n                GROUP BY 1 ORDER BY min(e.id) LOOP\n    quotes_vector := quotes_vector || to_tsvector(quote.config, quote.texts);\n  END LOOP;\n  NEW.search_text := concat_ws(' ', NEW.text, claimant_name, NEW.rating_explanation,\n                               quote_texts, NEW.analysis);\n  NEW.search_vector :=\n      setweight(to_tsvector(config, coalesce(NEW.text, '')), 'A')\n   || setweight(to_tsvector(config, coalesce(claimant_name, '')), 'A')\n   || setweight(to_tsvector(config, coalesce(NEW.rating_explanation, '')), 'B')\n   || setweight(quotes_vector, 'B')\n   || setweight(to_tsvector(config, coalesce(NEW.analysis, '')), 'C')\n   -- Where the claim sits in publication time (day, month, year, decade), for search windows;\n   -- a claim never published: in which blocks of ids (migration 0022).\n   || fc_publication_buckets(NEW.published_at)\n   || fc_unpublished_buckets(NEW.id, NEW.published_at);\n  RETURN NEW;\nEND;\n", hash='a9022c0ff90de61d59a22fcf0265dced6589cbb0', operation='INSERT OR UPDATE', pgid='pgtrigger_claim_search_7fe64', table='claims_claim', when='BEFORE')),
        ),
        migrations.RunSQL(BACKFILL, UNDO_BACKFILL),
    ]
