"""Domain errors: raised by services with a message meant for people.

The API turns them into a 400 JSON body and the views into form errors, so a service
never needs to know who called it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A precondition failed. ``errors`` maps a field name to its message(s)."""

    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})
        if field:
            self.errors.setdefault(field, [message])

    def as_dict(self) -> dict:
        return {"detail": self.message, "errors": self.errors}


class ImportRejected(DomainError):
    """A whole import file was refused; ``problems`` lists every bad row."""

    def __init__(self, problems: list[dict]):
        from django.utils.translation import gettext as _  # errors.py is imported before apps load

        super().__init__(_("导入文件有 %(n)d 处错误，未导入任何数据。") % {"n": len(problems)})
        self.problems = problems

    def as_dict(self) -> dict:
        return {"detail": self.message, "problems": self.problems}
