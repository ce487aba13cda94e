"""The English translation is complete and the compiled catalogue matches the source."""

import re
from pathlib import Path

from django.utils import translation

import qualitycity

# The project catalogue plus each domain app's own (src/qualitycity/<app>/locale/en/…).
CATALOGUES = sorted(Path(qualitycity.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"))


def entries():
    for po in CATALOGUES:
        yield from _entries(po)


def test_the_project_catalogue_exists():
    assert any(po.parent.parent.parent.parent.name == "qualitycity" for po in CATALOGUES)


def _entries(po):
    """Every (comment-and-entry text, msgid, first msgstr) of a catalogue, found entry by
    entry (a block split would miss an entry glued to the header without a blank line)."""
    text = po.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^(?:#[^\n]*\n)*msgid ", text, re.M)]
    for begin, end in zip(starts, starts[1:] + [len(text)], strict=True):
        block = text[begin:end]
        if block.lstrip().startswith("#~"):
            continue  # obsolete entries
        msgid = _joined(r'^msgid ((?:".*"\n?)+)', block)
        if not msgid:
            continue  # the header
        msgstr = _joined(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block)
        yield block, msgid.encode().decode("unicode_escape").encode("latin-1").decode(), msgstr


def _joined(pattern: str, block: str) -> str:
    match = re.search(pattern, block, re.M)
    return "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""


def test_every_message_is_translated_and_none_is_fuzzy():
    problems = [msgid for block, msgid, msgstr in entries() if not msgstr or "#, fuzzy" in block]
    assert problems == []


def test_the_compiled_catalogue_is_up_to_date():
    stale = []
    with translation.override("en"):
        for block, msgid, _msgstr in entries():
            if "msgid_plural" in block or "msgctxt" in block:
                continue
            if translation.gettext(msgid) == msgid:
                stale.append(msgid)
    assert stale == []  # run `qcity compilemessages` after editing the .po
