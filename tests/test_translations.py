"""The English translation is complete and the compiled catalogue matches the source."""

import re
from pathlib import Path

import pytest
from django.utils import translation

import qualitycity
from qualitycity.core.models import Role

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


@pytest.fixture(autouse=True)
def _back_to_chinese():
    yield
    translation.activate("zh-hans")  # the English requests below leave English active in the thread


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SOURCE_DIR = Path(qualitycity.__file__).parent


def _obsolete_msgids(po: Path) -> list[str]:
    text = po.read_text(encoding="utf-8")
    return [m.encode().decode("unicode_escape").encode("latin-1").decode()
            for m in re.findall(r'^#~ msgid "(.+)"$', text, re.M)]


def test_no_string_the_source_still_uses_is_obsolete_in_a_catalogue():
    """An obsolete (#~) entry is never compiled: if the code still uses the string, the
    page shows Chinese in English. That happens when makemessages cannot see the string
    (an alias it does not know, such as N_ for gettext_noop)."""
    sources = "\n".join(p.read_text(encoding="utf-8") for pattern in ("**/*.py", "**/*.html")
                        for p in SOURCE_DIR.glob(pattern) if not {"locale", "migrations"} & set(p.parts))
    with translation.override("en"):  # another app's catalogue may translate it: then it is fine
        used = [(po.relative_to(SOURCE_DIR).as_posix(), msgid) for po in CATALOGUES for msgid in _obsolete_msgids(po)
                if (f'"{msgid}"' in sources or f"'{msgid}'" in sources) and translation.gettext(msgid) == msgid]
    assert used == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", *sorted(Role)])
def test_the_navigation_and_home_page_titles_are_english_in_english(role):
    from django.test import Client

    from qualitycity.core.tests import factories

    world = factories.role_users()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    if role != "anonymous":
        client.force_login(world["users"][role])
    page = client.get("/").content.decode()
    nav = re.search(r'<nav class="main".*?</nav>', page, re.S).group(0)
    labels = re.sub(r"<[^>]+>", " ", nav)
    assert CJK.findall(labels) == [], labels
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert not CJK.search(title), title


# What makemessages would extract, found the simple way: gettext calls with one literal
# and the {% translate %} tag. Enough to catch a string added without its translation.
MARKED = [
    re.compile(r"""\b(?:_|gettext|gettext_lazy|gettext_noop|pgettext)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]"""),
    re.compile(r"""{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+[^%]*)?%}"""),
    re.compile(r"""{%\s*(?:translate|trans)\s+'([^']+)'(?:\s+[^%]*)?%}"""),
]


def marked_strings(paths) -> set[str]:
    found = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for pattern in MARKED:
            for m in pattern.findall(text):
                m = m.encode().decode("unicode_escape").encode("latin-1").decode() if "\\" in m else m
                # the template tag looks a msgid up with its % doubled
                found.add(m.replace("%", "%%") if path.suffix == ".html" else m)
    return {s for s in found if CJK.search(s)}


def untranslated(paths) -> list[str]:
    with translation.override("en"):
        return sorted(s for s in marked_strings(paths) if translation.gettext(s) == s)


def test_every_string_core_and_the_shared_templates_mark_has_an_english_translation():
    paths = [p for p in (SOURCE_DIR / "core").rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
    paths += list((SOURCE_DIR / "templates").rglob("*.html")) + [SOURCE_DIR / "api.py", SOURCE_DIR / "urls.py"]
    assert untranslated(paths) == []
