"""The single exception type the composite-indicator engine raises for bad input."""

from __future__ import annotations


class CompositeInputError(ValueError):
    """Input that cannot produce a defensible composite indicator.

    Subclasses ``ValueError`` so that generic callers that already catch
    ``ValueError`` keep working, while the CLI and the web layer can catch this
    type alone and show ``str(err)`` to the analyst verbatim: every message is
    written to name the offending indicator, unit, cell or judgement.
    """
