import pytest

from qualitycity.standards.reference import ensure_code_tables


@pytest.fixture
def codes(db):
    """The ICS/CCS tables (the data migration's rows are flushed by transactional tests)."""
    ensure_code_tables()
