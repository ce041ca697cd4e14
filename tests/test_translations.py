"""Translations ship complete and safe: every term of an addon's .pot has a translation in each
shipped language, and no translation loses or invents a placeholder (a missing ``%(name)s``
raises at runtime in that language only, where no English test sees it).

Every addon with an i18n folder is checked for placeholders; completeness is required of the
addons listed in COMPLETE (all three), each in every language of LANGUAGES. A term added to the
code reaches the .pot with `odoo-bin i18n export` (README, "Translations").
"""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "it", "ja", "zh_CN", "ar")
COMPLETE = ("luxury_oms", "luxury_clienteling", "luxury_returns")
TRANSLATED = sorted(path.parent.parent.name for path in ROOT.glob("addons/*/i18n/*.pot"))
# The maison's own names (its pieces, its channels, its French tagline) may read the same in
# another language: a copy of them is no missing translation.
PROPER_NAMES = (
    "model:product.template,name:",
    "model:luxury.oms.channel,name:",
    "model_terms:res.company,report_header:",
)
# Python formats (%(name)s, %s, %r) and inline template expressions ({{ x }}) kept as is.
# Markup may change with the language (a right-to-left mail adds dir="rtl"): not compared.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|\{\{.*?\}\}")


def _pot(addon):
    return polib.pofile(str(ROOT / "addons" / addon / "i18n" / f"{addon}.pot"))


def _po(addon, language):
    return polib.pofile(str(ROOT / "addons" / addon / "i18n" / f"{language}.po"))


def _shipped(addon):
    return [
        language
        for language in LANGUAGES
        if (ROOT / "addons" / addon / "i18n" / f"{language}.po").exists()
    ]


@pytest.mark.parametrize("addon", COMPLETE)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_term_is_translated(addon, language):
    terms = {entry.msgid for entry in _pot(addon)}
    translated = {entry.msgid: entry.msgstr for entry in _po(addon, language)}
    missing = sorted(term for term in terms if not translated.get(term, "").strip())
    assert not missing, f"{addon} {language}.po: {len(missing)} untranslated, e.g. {missing[:3]}"
    stale = sorted(set(translated) - terms)
    assert not stale, f"{addon} {language}.po: terms no longer in the .pot: {stale[:3]}"


@pytest.mark.parametrize("addon", COMPLETE)
@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "ja"])
def test_translations_are_not_the_english_copied(addon, language):
    """A copy of the English is no translation. Codes, names and single technical words may
    read the same in another language; whole sentences may not."""
    copied = [
        entry.msgid
        for entry in _po(addon, language)
        if entry.msgstr.strip() == entry.msgid.strip()
        and len(entry.msgid.split()) > 3
        and not all(place.startswith(PROPER_NAMES) for place, _line in entry.occurrences)
    ]
    assert not copied, f"{addon} {language}.po copies the English: {copied[:3]}"


@pytest.mark.parametrize("addon", TRANSLATED)
def test_translations_keep_their_placeholders(addon):
    broken = []
    for language in _shipped(addon):
        for entry in _po(addon, language):
            if entry.msgstr and sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(
                PLACEHOLDER.findall(entry.msgid)
            ):
                broken.append(f"{language}: {entry.msgid[:60]!r}")
    assert not broken, f"{addon}: placeholders lost or invented in {broken[:5]}"


@pytest.mark.parametrize("addon", COMPLETE)
def test_errors_keep_their_field_path(addon):
    """``lines[0].qty: <problem>``: the field path before the colon is what a channel reads in
    every language, so it is never translated nor re-punctuated."""
    path = re.compile(r"^(lines\[%\(index\)s\](\.\w+)?|order|partner_id|reason): ")
    for language in LANGUAGES:
        for entry in _po(addon, language):
            match = path.match(entry.msgid)
            if match:
                assert entry.msgstr.startswith(match.group(0)), (language, entry.msgstr)
