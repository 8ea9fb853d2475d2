"""The Japanese catalogue is complete and the compiled .mo matches the .po that is committed."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _po_entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every entry but the header. The file is kept with --no-wrap."""
    return [(msgid, msgstr, fuzzy) for _ctx, msgid, msgstr, fuzzy in _po_entries_in_context()]


def _po_entries_in_context() -> list[tuple[str | None, str, str, bool]]:
    """(msgctxt, msgid, msgstr, fuzzy) for every entry but the header."""
    entries, fuzzy = [], False
    msgid = context = None
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            context = line[len("msgctxt ") :].strip()[1:-1]
        elif line.startswith("msgid "):
            msgid = line[len("msgid ") :].strip()[1:-1]
        elif line.startswith("msgstr ") and msgid is not None:
            msgstr = line[len("msgstr ") :].strip()[1:-1]
            if msgid:
                entries.append((context, msgid, msgstr, fuzzy))
            msgid, context, fuzzy = None, None, False
    return entries


def _unescape(text: str) -> str:
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = _po_entries()
    assert len(entries) > 100
    assert [m for m, s, f in entries if not s] == []
    assert [m for m, s, f in entries if f] == []


def test_placeholders_survive_translation():
    for msgid, msgstr, _fuzzy in _po_entries():
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(
            re.findall(r"%\(\w+\)s", msgstr)
        ), msgid


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    for context, msgid, msgstr, _fuzzy in _po_entries_in_context():
        if context is None:
            translated = catalogue.gettext(_unescape(msgid))
        else:
            translated = catalogue.pgettext(_unescape(context), _unescape(msgid))
        assert translated == _unescape(msgstr), msgid
