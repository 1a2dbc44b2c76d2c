"""Existing sources and quotes get a language and say where it came from (sources.language).

A source's stored language was given by an editor or an import, or detected by the import: when
the text's detected language agrees it is marked ``detected`` (it will follow the text), when it
disagrees ``given`` (someone chose it against the detector: kept). An empty one is detected now.
Quotes had no language: each is detected from its words, else its source's language (default).
"""

from django.db import migrations

from sources.language import DEFAULT, DETECTED, GIVEN, backfill, detect_language, primary_language


def source_language(source) -> tuple[str, str]:
    detected = detect_language(source.content or source.title or "")
    if source.language:
        same = detected == primary_language(source.language)
        return source.language, DETECTED if same else GIVEN
    return (detected, DETECTED) if detected else ("", DEFAULT)


def quote_language(quote) -> tuple[str, str]:
    detected = detect_language(quote.text)
    return (detected, DETECTED) if detected else (quote.source.language, DEFAULT)


def forwards(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    Quote = apps.get_model("sources", "Quote")
    backfill(Source.objects.only("pk", "content", "title", "language"), source_language)
    backfill(Quote.objects.select_related("source").only("pk", "text", "source__language"),
             quote_language)


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0007_quote_language_renderings"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
