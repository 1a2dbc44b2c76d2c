"""The Spanish catalog (locale/es/LC_MESSAGES/django.po) is complete, current and compiled
(README, "Languages of the interface"):

- every message is translated, none fuzzy, and each translation keeps its placeholders;
- the committed ``django.mo`` (what the site reads; a fresh machine has no gettext to compile it)
  holds exactly the ``.po``'s translations;
- re-extracting the strings marked in the code and templates (``make messages``: Django's
  makemessages, which needs GNU gettext's ``xgettext``) finds no message the ``.po`` lacks and none
  it no longer needs. Without ``xgettext`` that test is skipped — unless FACTCHECK_REQUIRE_TOOLS=1
  (CI, .ci/run installs gettext), where it fails.
"""

from __future__ import annotations

import gettext
import io
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# What `make messages` extracts from (the Makefile's MAKEMESSAGES_IGNORE): everything but these.
NOT_EXTRACTED = [".venv", "var", "bench", "tests", "docs", ".git", "locale"]


def catalog(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po)


def keys(cat) -> set:
    return {(message.context, message.id) for message in cat if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_fuzzy(language):
    cat = catalog(language)
    assert len(keys(cat)) > 300
    untranslated = [message.id for message in cat if message.id and (
        not message.string or (isinstance(message.string, tuple) and not all(message.string)))]
    assert untranslated == []
    assert [message.id for message in cat if message.id and message.fuzzy] == []
    assert not cat.fuzzy, "the header is marked fuzzy: msgfmt would drop it (and the plural rule)"
    assert cat.plural_forms == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    problems = [(message.id, [str(error) for error in errors])
                for message, errors in catalog(language).check() if errors]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_the_po_compiled(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalog(language))
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)._catalog
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        committed = gettext.GNUTranslations(mo)._catalog
    expected.pop("", None)
    committed.pop("", None)
    stale = {key for key in expected.keys() | committed.keys() if expected.get(key) != committed.get(key)}
    assert stale == set(), "run `make messages` (compilemessages) and commit the .mo"


def _require_xgettext() -> None:
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return
    reason = "GNU gettext (xgettext, msgmerge) is not installed"
    if os.environ.get("FACTCHECK_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason} (FACTCHECK_REQUIRE_TOOLS=1: this test must run)")
    pytest.skip(f"{reason}: apt-get install gettext to check the catalog against the code")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_has_every_marked_string_and_no_stale_one(language, tmp_path, settings, monkeypatch):
    _require_xgettext()
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "tree"
    copy.mkdir()
    for entry in base.iterdir():
        if entry.name in NOT_EXTRACTED or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, copy / entry.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(entry, copy / entry.name)
    shutil.copytree(LOCALE, copy / "locale")
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=[language], add_location="file", no_obsolete=True,
                 verbosity=0)
    with open(copy / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as po:
        extracted = read_po(po)
    committed = keys(catalog(language))
    assert sorted(keys(extracted) - committed, key=str) == [], "marked in the code, not in the .po"
    assert sorted(committed - keys(extracted), key=str) == [], "in the .po, no longer in the code"
