"""``Standard.ics_fields`` (what the ICS facet counts) stays equal to the linked ICS codes,
whichever writer changes them: the national import, the ISO import, the demo generator,
the links edited directly (as the admin does), and the migration that fills it."""

import datetime as dt
import gzip

import pytest
from django.apps import apps

from qualitycity.core.services.audit import Actor
from qualitycity.standards import demo
from qualitycity.standards.models import IcsCode, Standard
from qualitycity.standards.services import iso

from .factories import load, row

pytestmark = pytest.mark.django_db


def fields(number: str) -> str:
    return Standard.objects.get(number=number).ics_fields


def linked_fields(std: Standard) -> str:
    return ";".join(sorted({code[:2] for code in std.ics.values_list("code", flat=True)}))


def test_the_national_import_writes_the_fields_of_the_linked_codes(codes):
    load([row("GB/T 1-2020", "甲", ICS="29.060.20;29.060.10;67.060"), row("GB/T 2-2020", "乙")])
    assert fields("GB/T 1-2020") == "29;67"
    assert fields("GB/T 2-2020") == ""


def test_a_reimport_that_changes_the_codes_changes_the_fields(codes):
    load([row("GB/T 1-2020", "甲", ICS="29.060.20;67.060")])
    outcome = load([row("GB/T 1-2020", "甲", ICS="97.040.30")])
    assert outcome.updated == 1
    assert fields("GB/T 1-2020") == "97"
    load([row("GB/T 1-2020", "甲")])
    assert fields("GB/T 1-2020") == ""


def test_a_code_missing_from_the_code_table_is_neither_linked_nor_counted(codes):
    load([row("GB/T 1-2020", "甲", ICS="29.060.20;99.999.99")])
    std = Standard.objects.get(number="GB/T 1-2020")
    assert std.ics_codes == "29.060.20;99.999.99"  # shown as printed
    assert std.ics_fields == linked_fields(std) == "29"


ISO_ROWS = """reference,title_en,published,stage,ics,relations
ISO 9001:2015,Quality management systems,2015-09,90.92,03.120.10,
ISO 14001:2015,Environmental management systems,2015-09,60.60,13.020.10;03.100.70,
ISO  14001:2015,Environmental management systems,2015-09,60.60,91.040.01,
ISO 2:2020,No classification,2020-01,60.60,,
"""


def test_the_iso_import_writes_the_fields_and_a_reimport_adds_new_ones(codes):
    iso.import_iso(by=Actor.system("t"), content=gzip.compress(ISO_ROWS.encode()))
    assert fields("ISO 9001:2015") == "03"
    assert fields("ISO 14001:2015") == "03;13;91"  # two spellings of one number: both rows' codes
    assert fields("ISO 2:2020") == ""
    iso.import_iso(by=Actor.system("t"), content=ISO_ROWS.replace("03.120.10,", "03.120.10;67.060,").encode())
    assert fields("ISO 9001:2015") == "03;67"
    for std in Standard.objects.all():
        assert std.ics_fields == linked_fields(std), std.number


def test_the_synthetic_demo_catalogue_has_the_fields_of_its_links(codes):
    demo.synthetic(seed=7, count=60, today=dt.date(2026, 11, 26))
    made = Standard.objects.filter(source="demo")
    assert made.count() >= 60
    assert all(std.ics_fields == linked_fields(std) != "" for std in made)


def test_editing_the_links_directly_keeps_the_fields(codes):
    load([row("GB/T 1-2020", "甲", ICS="29.060.20"), row("GB/T 2-2020", "乙", ICS="29.060.20")])
    std = Standard.objects.get(number="GB/T 1-2020")
    std.ics.add(IcsCode.objects.get(code="67.060"))
    assert fields("GB/T 1-2020") == "29;67"
    std.ics.remove(IcsCode.objects.get(code="29.060.20"))
    assert fields("GB/T 1-2020") == "67"
    std.ics.set([IcsCode.objects.get(code="97.040.30"), IcsCode.objects.get(code="97.040.20")])
    assert fields("GB/T 1-2020") == "97"
    std.ics.clear()
    assert fields("GB/T 1-2020") == ""
    # from the code's side, as an admin inline on the ICS code would
    cable = IcsCode.objects.get(code="29.060.20")
    cable.standards.add(std)
    assert fields("GB/T 1-2020") == "29"
    cable.standards.clear()
    assert fields("GB/T 1-2020") == fields("GB/T 2-2020") == ""


def test_the_migration_fills_the_fields_from_the_links(codes):
    from importlib import import_module

    load([row("GB/T 1-2020", "甲", ICS="29.060.20;67.060"), row("GB/T 2-2020", "乙")])
    Standard.objects.update(ics_fields="")  # as the column is added
    import_module("qualitycity.standards.migrations.0003_ics_fields").fill_ics_fields(apps, None)
    assert fields("GB/T 1-2020") == "29;67"
    assert fields("GB/T 2-2020") == ""
