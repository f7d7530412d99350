"""Translations: the German catalogue is complete, and lazy texts resolve per language."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

import django_api_errors
from django_api_errors.pipeline.translation import in_language

PO_FILE = Path(django_api_errors.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"


def po_entries():
    """(msgid, [msgstr...], flags) of every entry but the header."""
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        msgids = [line for line in lines if line.startswith('msgid "')]
        if not msgids or msgids[0] == 'msgid ""':
            continue
        strings = [line.split(" ", 1)[1] for line in lines if line.startswith("msgstr")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        yield msgids[0], strings, flags


def test_every_message_of_the_package_has_a_german_translation():
    entries = list(po_entries())

    assert len(entries) > 150
    assert [msgid for msgid, strings, _ in entries if '""' in strings] == []
    assert [msgid for msgid, _, flags in entries if "fuzzy" in flags] == []


def test_the_compiled_catalogue_is_not_older_than_its_source():
    assert PO_FILE.with_suffix(".mo").stat().st_mtime >= PO_FILE.stat().st_mtime - 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "The requested resource does not exist."), ("de", "Die angeforderte Ressource existiert nicht.")],
)
def test_in_language_resolves_each_language_once_and_separately(language, expected):
    text = _("The requested resource does not exist.")

    assert in_language(text, language) == expected
    with translation.override("en" if language == "de" else "de"):
        assert in_language(text, language) == expected


def test_plain_strings_pass_through():
    assert in_language("as is", "de") == "as is"


def test_cached_texts_are_forgotten_when_the_catalogues_change(settings):
    text = _("The requested resource does not exist.")
    assert in_language(text, "de") == "Die angeforderte Ressource existiert nicht."

    settings.LOCALE_PATHS = [Path(__file__).resolve().parent / "broken_locale"]
    assert in_language(text, "de") == "Diese Ressource gibt es nicht."

    settings.LOCALE_PATHS = []
    assert in_language(text, "de") == "Die angeforderte Ressource existiert nicht."


def test_cached_texts_are_forgotten_when_runserver_sees_a_catalogue_file_change(monkeypatch):
    from django.conf import settings as django_settings
    from django.utils.autoreload import file_changed

    text = _("The requested resource does not exist.")
    assert in_language(text, "de") == "Die angeforderte Ressource existiert nicht."
    broken_locale = Path(__file__).resolve().parent / "broken_locale"
    mo_file = broken_locale / "de" / "LC_MESSAGES" / "django.mo"

    # A catalogue edited on disk: no setting changes, only the autoreloader's signal tells.
    monkeypatch.setattr(django_settings, "LOCALE_PATHS", [broken_locale])
    file_changed.send(sender=None, file_path=mo_file)
    assert in_language(text, "de") == "Diese Ressource gibt es nicht."

    monkeypatch.undo()
    file_changed.send(sender=None, file_path=mo_file)
    assert in_language(text, "de") == "Die angeforderte Ressource existiert nicht."


def test_a_changed_file_that_is_no_catalogue_keeps_the_cached_texts(monkeypatch):
    from django.conf import settings as django_settings
    from django.utils.autoreload import file_changed

    text = _("The requested resource does not exist.")
    assert in_language(text, "de") == "Die angeforderte Ressource existiert nicht."

    monkeypatch.setattr(django_settings, "LOCALE_PATHS", [Path(__file__).resolve().parent / "broken_locale"])
    file_changed.send(sender=None, file_path=Path(__file__))

    assert in_language(text, "de") == "Die angeforderte Ressource existiert nicht."
