import pytest


@pytest.fixture(autouse=True)
def signing_dir(tmp_path_factory, monkeypatch):
    """Demo keys in a per-session temporary directory, never in var/."""
    monkeypatch.setenv("QCITY_SIGNING_DIR", str(tmp_path_factory.getbasetemp() / "keys"))
