"""Public API of 武汉名品: the registry and the certificate check."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from qualitycity.core.permissions import api_requires

from . import selectors
from .models import Certificate

router = Router(tags=["brands"])


class CertificateOut(Schema):
    number: str
    enterprise: str
    scope: str
    conditions: str
    issued_on: dt.date
    valid_until: dt.date
    status: str
    status_reason: str


def _out(cert: Certificate) -> dict:
    return {
        "number": cert.number, "enterprise": cert.enterprise.name, "scope": cert.scope, "conditions": cert.conditions,
        "issued_on": cert.issued_on, "valid_until": cert.valid_until, "status": cert.public_status,
        "status_reason": cert.status_reason,
    }


@router.get("/certificates", response=list[CertificateOut])
@api_requires("brands.public")
def registry(request, q: str = "", district: str = "", status: str = ""):
    return [_out(c) for c in selectors.registry(q[:100], district[:32], status[:16])[:100]]


@router.get("/certificates/{number}", response=CertificateOut)
@api_requires("brands.public")
def certificate(request, number: str):
    found = selectors.check(number)
    if found is None:
        raise HttpError(404, _("查无此证书：{number}。请核对证书编号；伪造或输错的编号都查不到。").format(number=number[:24]))
    return _out(found)
