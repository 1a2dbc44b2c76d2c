"""Search reads disjoint slices of publication time (claims/search.py, ``WINDOWED_CANDIDATES``).

- ``fc_published_between(since date, until date, unpublished boolean)``: the tsquery matching
  exactly the vectors of claims published on or after ``since`` and before ``until`` (UTC days;
  ``until`` NULL: no end), and of claims never published when ``unpublished``. The fewest bucket
  lexemes (migration 0019) that cover the span: days up to a month's start, months up to a year's,
  years up to a decade's, decades, and back down to ``until``. NULL when ``since`` is NULL.
  Open-ended (``until`` NULL) from a day after 2100-01-01, it starts at 2100: the buckets' last
  decade, ``~d210``, holds every year from 2100 on.
- ``fc_earliest_publication()``: the UTC day of the earliest publication (one read of the
  partial index of public claims' publication times; exact at the time of the statement), where
  the oldest slice starts: a search's slices begin at ``fc_search_windows()``'s dates (migration
  0019) and, in place of its final NULL ("no window"), at this day — NULL only when no claim was
  ever published (then one slice: the query alone).

Before, a search probed nested windows (the newest 1 %, then 4 %…) and a term whose first window
held fewer than the candidates it needs read that window's matches again in the next one.
A slice written as "since one date and not since the next" (``!!`` in the tsquery) is exact too,
but the GIN index then tests every match of the term against the negated lexemes: 17 ms for one
slice of a middling term at 1,000,000 claims, against 3 ms for the same slice named by its own
lexemes (docs/scaling.md, "Search at 1,000,000 claims").
"""

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

-- Only public claims have a publication time (the claims' check constraints), and the partial
-- index of their publication times (claim_public_pub_idx) holds the earliest at its end.
CREATE OR REPLACE FUNCTION fc_earliest_publication() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (min(published_at) AT TIME ZONE 'UTC')::date
    FROM claims_claim WHERE status IN ('published', 'retracted')
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS fc_earliest_publication();
DROP FUNCTION IF EXISTS fc_published_between(date, date, boolean);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0020_search_vector_in_row'),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
    ]
