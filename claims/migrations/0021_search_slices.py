"""Search reads disjoint slices of publication time (claims/search.py, ``WINDOWED_CANDIDATES``).

- ``fc_published_between(since date, until date, unpublished boolean)``: the tsquery matching
  exactly the vectors of claims published on or after ``since`` and before ``until`` (UTC days;
  ``until`` NULL: no end), and of claims never published when ``unpublished``. The fewest bucket
  lexemes (migration 0019) that cover the span: days up to a month's start, months up to a year's,
  years up to a decade's, decades, and back down to ``until``. NULL when ``since`` is NULL.
  Open-ended (``until`` NULL) from a day after 2100-01-01, it starts at 2100: the buckets' last
  decade, ``~d210``, holds every year from 2100 on.
- ``fc_search_windows()`` ends with the earliest publication day (an index read, exact at the
  time of the statement) instead of NULL, so the oldest slice is named by its lexemes too; NULL
  only when no claim was ever published (then one slice: the query alone).

Before, a search probed nested windows (the newest 1 %, then 4 %…) and a term whose first window
held fewer than the candidates it needs read that window's matches again in the next one.
A slice written as "since one date and not since the next" (``!!`` in the tsquery) is exact too,
but the GIN index then tests every match of the term against the negated lexemes: 17 ms for one
slice of a middling term at 1,000,000 claims, against 3 ms for the same slice named by its own
lexemes (docs/scaling.md, "Search at 1,000,000 claims").
"""

from importlib import import_module

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION fc_published_between(since date, until date, unpublished boolean DEFAULT false)
RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  lexemes text[] := CASE WHEN unpublished THEN ARRAY['~unpublished'] ELSE ARRAY[]::text[] END;
  d date := since;
  year int;
BEGIN
  IF since IS NULL THEN
    RETURN NULL;
  END IF;
  WHILE until IS NULL OR d < until LOOP
    year := extract(year FROM d)::int;
    IF extract(doy FROM d) = 1 AND year % 10 = 0
       AND (until IS NULL OR (year < 2100 AND (d + interval '10 years')::date <= until)) THEN
      IF until IS NULL THEN  -- every decade from here on (the buckets end at ~d210: 2100 and later)
        FOR decade IN least(year / 10, 210) .. 210 LOOP
          lexemes := lexemes || ('~d' || decade);
        END LOOP;
        EXIT;
      END IF;
      lexemes := lexemes || ('~d' || year / 10);
      d := (d + interval '10 years')::date;
    ELSIF extract(doy FROM d) = 1 AND (until IS NULL OR (d + interval '1 year')::date <= until) THEN
      lexemes := lexemes || ('~y' || to_char(d, 'YYYY'));
      d := (d + interval '1 year')::date;
    ELSIF extract(day FROM d) = 1 AND (until IS NULL OR (d + interval '1 month')::date <= until) THEN
      lexemes := lexemes || ('~m' || to_char(d, 'YYYYMM'));
      d := (d + interval '1 month')::date;
    ELSE
      lexemes := lexemes || ('~t' || to_char(d, 'YYYYMMDD'));
      d := d + 1;
    END IF;
  END LOOP;
  IF cardinality(lexemes) = 0 THEN  -- an empty span: a lexeme no vector holds
    RETURN '~none'::tsquery;
  END IF;
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
  earliest date;
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
  -- The oldest slice starts at the earliest publication (the statistics may be out of date). Only
  -- public claims have a publication time (the claims' check constraints), and the partial index
  -- of their publication times (claim_public_pub_idx) holds it at its end: one index read.
  SELECT (min(published_at) AT TIME ZONE 'UTC')::date INTO earliest
    FROM claims_claim WHERE status IN ('published', 'retracted');
  IF earliest IS NULL THEN
    RETURN ARRAY[NULL::date];  -- nothing published: one slice, the query alone
  END IF;
  RETURN ARRAY(SELECT s FROM unnest(starts) AS s WHERE s > earliest) || earliest;
END
$$;
"""

DROP_FUNCTIONS = "DROP FUNCTION IF EXISTS fc_published_between(date, date, boolean);"


def _previous_functions() -> str:
    return import_module("claims.migrations.0019_search_windows").FUNCTIONS


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0020_search_vector_in_row'),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS + _previous_functions()),
    ]
