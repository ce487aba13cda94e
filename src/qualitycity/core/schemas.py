"""API schemas of the core directory."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from .notifications import mask_phone

Scalar = str | int | float | None


class AreaOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class IndustryOut(Schema):
    code: str
    name: str
    level: str


class OrganizationOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    credit_code: str | None
    area: str
    area_code: str
    industry: str | None
    industry_name: str | None
    park: str | None
    size_class: str
    employees: int | None
    annual_revenue: str | None
    founded_on: dt.date | None
    growth_stage: str
    address: str
    contact_name: str
    contact_phone: str
    cma_number: str
    cma_valid_until: dt.date | None
    cnas_number: str
    capability_scope: str
    service_station: str

    @staticmethod
    def from_org(org) -> dict:
        return {
            "id": org.pk,
            "kind": org.kind,
            "kind_label": str(org.get_kind_display()),
            "name": org.name,
            "credit_code": org.credit_code,
            "area": org.area.name,
            "area_code": org.area.code,
            "industry": org.industry.code if org.industry_id else None,
            "industry_name": org.industry.name if org.industry_id else None,
            "park": org.park.name if org.park_id else None,
            "size_class": org.size_class,
            "employees": org.employees,
            "annual_revenue": str(org.annual_revenue) if org.annual_revenue is not None else None,
            "founded_on": org.founded_on,
            "growth_stage": org.growth_stage,
            "address": org.address,
            "contact_name": org.contact_name,
            "contact_phone": mask_phone(org.contact_phone),
            "cma_number": org.cma_number,
            "cma_valid_until": org.cma_valid_until,
            "cnas_number": org.cnas_number,
            "capability_scope": org.capability_scope,
            "service_station": org.service_station,
        }


class Page(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrganizationOut]


class OrganizationIn(Schema):
    """Fields are parsed by the directory service, so API, forms and imports share
    the same rules and messages."""

    name: Scalar = None
    kind: Scalar = None
    credit_code: Scalar = None
    area: Scalar = None
    industry: Scalar = None
    park: Scalar = None
    employees: Scalar = None
    annual_revenue: Scalar = None
    founded_on: Scalar = None
    growth_stage: Scalar = None
    address: Scalar = None
    contact_name: Scalar = None
    contact_phone: Scalar = None
    cma_number: Scalar = None
    cma_valid_until: Scalar = None
    cnas_number: Scalar = None
    capability_scope: Scalar = None


class ExpertOut(Schema):
    id: int
    name: str
    title: str
    affiliation: str | None
    specialties: str
    phone: str


class MemberOut(Schema):
    user: str
    display_name: str
    role: str
    title: str


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    primary_role: str
    organizations: list[dict]


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenOut):
    key: str


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class AuditEventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    ip_address: str | None


class ImportResult(Schema):
    created: int
    updated: int
