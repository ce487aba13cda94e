"""API schemas of the standards library."""


import datetime as dt

from ninja import Schema


class StandardOut(Schema):
    number: str
    title_zh: str
    title_en: str
    kind: str
    status: str
    status_label: str
    published_on: dt.date | None
    implemented_on: dt.date | None
    abolished_on: dt.date | None
    replaced_by: list[str]
    replaces: list[str] = []
    ics: list[str]
    ccs: str
    adoption: str
    adopted_number: str
    exact: bool = False
    title_highlighted: str = ""


class StandardDetailOut(StandardOut):
    competent_department: str
    technical_committee: str
    drafters: str
    scope: str
    chain: list[str]
    related: list[str]
    changes: list[dict]


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    number: str
    suggestions: list[str]
    facets: dict[str, list[tuple[str, int]]]
    results: list[StandardOut]


class FollowIn(Schema):
    target: str = "standard"
    number: str = ""
    code: str = ""


class FollowOut(Schema):
    id: int
    target: str
    number: str
    code: str
    status: str
