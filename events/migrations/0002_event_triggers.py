"""Triggers that write the change feed in the same transaction as each change."""

from django.db import migrations

INSERT = """
    INSERT INTO events_event (type, created_at, txid, object_kind, object_id, claim_id, source_id, was_public)
    VALUES (kind, now(), pg_current_xact_id()::text::bigint, {kind}, {id}, {claim}, {source}, {public});
"""

FORWARD = f"""
CREATE OR REPLACE FUNCTION events_claim() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kind text; row_ claims_claim%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        kind := 'claim.created'; row_ := NEW;
    ELSIF TG_OP = 'DELETE' THEN
        kind := 'claim.deleted'; row_ := OLD;
    ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
        row_ := NEW;
        kind := CASE NEW.status WHEN 'published' THEN 'claim.published'
                                WHEN 'retracted' THEN 'claim.retracted'
                                WHEN 'in_review' THEN 'claim.submitted'
                                ELSE 'claim.changes_requested' END;
    ELSIF (NEW.text, NEW.rating_id, NEW.rating_explanation, NEW.analysis, NEW.claimant_id,
           NEW.claim_date, NEW.language)
          IS DISTINCT FROM (OLD.text, OLD.rating_id, OLD.rating_explanation, OLD.analysis,
                            OLD.claimant_id, OLD.claim_date, OLD.language) THEN
        kind := 'claim.updated'; row_ := NEW;
    ELSE
        RETURN NULL;
    END IF;
    {INSERT.format(kind="'claim'", id="row_.id", claim="row_.id", source="NULL",
                   public="row_.status IN ('published', 'retracted')")}
    RETURN NULL;
END $$;
CREATE TRIGGER events_claim AFTER INSERT OR UPDATE OR DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION events_claim();

CREATE OR REPLACE FUNCTION events_correction() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kind text := 'claim.corrected';
BEGIN
    -- A retraction's record is announced by claim.retracted.
    IF NEW.kind = 'retraction' THEN RETURN NULL; END IF;
    {INSERT.format(kind="'claim'", id="NEW.claim_id", claim="NEW.claim_id", source="NULL",
                   public="(SELECT status IN ('published', 'retracted') FROM claims_claim "
                          "WHERE id = NEW.claim_id)")}
    RETURN NULL;
END $$;
CREATE TRIGGER events_correction AFTER INSERT ON claims_correction
    FOR EACH ROW EXECUTE FUNCTION events_correction();

CREATE OR REPLACE FUNCTION events_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kind text; row_ claims_evidence%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN kind := 'evidence.added'; row_ := NEW;
    ELSE kind := 'evidence.removed'; row_ := OLD; END IF;
    {INSERT.format(kind="'evidence'", id="row_.id", claim="row_.claim_id", source="row_.source_id",
                   public="coalesce((SELECT status IN ('published', 'retracted') FROM claims_claim "
                          "WHERE id = row_.claim_id), false)")}
    RETURN NULL;
END $$;
CREATE TRIGGER events_evidence AFTER INSERT OR DELETE ON claims_evidence
    FOR EACH ROW EXECUTE FUNCTION events_evidence();

CREATE OR REPLACE FUNCTION events_rating() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kind text := 'rating.changed';
BEGIN
    IF (NEW.label, NEW.value) IS NOT DISTINCT FROM (OLD.label, OLD.value) THEN RETURN NULL; END IF;
    {INSERT.format(kind="'rating'", id="NEW.id", claim="NULL", source="NULL", public="true")}
    RETURN NULL;
END $$;
CREATE TRIGGER events_rating AFTER UPDATE ON claims_rating
    FOR EACH ROW EXECUTE FUNCTION events_rating();

CREATE OR REPLACE FUNCTION events_source() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kind text := 'source.refetched';
BEGIN
    IF NEW.content_sha256 IS NOT DISTINCT FROM OLD.content_sha256 THEN RETURN NULL; END IF;
    {INSERT.format(kind="'source'", id="NEW.id", claim="NULL", source="NEW.id", public="false")}
    RETURN NULL;
END $$;
CREATE TRIGGER events_source AFTER UPDATE ON sources_source
    FOR EACH ROW EXECUTE FUNCTION events_source();

CREATE OR REPLACE FUNCTION events_quote() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE kind text;
BEGIN
    IF NEW.anchor_status IS NOT DISTINCT FROM OLD.anchor_status
       OR NEW.anchor_status NOT IN ('drifted', 'orphaned') THEN
        RETURN NULL;
    END IF;
    kind := 'quote.' || NEW.anchor_status;
    {INSERT.format(kind="'quote'", id="NEW.id", claim="NULL", source="NEW.source_id", public="false")}
    RETURN NULL;
END $$;
CREATE TRIGGER events_quote AFTER UPDATE OF anchor_status ON sources_quote
    FOR EACH ROW EXECUTE FUNCTION events_quote();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS events_claim ON claims_claim;
DROP TRIGGER IF EXISTS events_correction ON claims_correction;
DROP TRIGGER IF EXISTS events_evidence ON claims_evidence;
DROP TRIGGER IF EXISTS events_rating ON claims_rating;
DROP TRIGGER IF EXISTS events_source ON sources_source;
DROP TRIGGER IF EXISTS events_quote ON sources_quote;
DROP FUNCTION IF EXISTS events_claim(), events_correction(), events_evidence(), events_rating(),
    events_source(), events_quote();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_event_outbox"),
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
