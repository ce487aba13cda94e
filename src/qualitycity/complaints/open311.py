"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

Service codes are the category codes. Internal states map onto ``open``/``closed`` and the
detail goes into ``status_notes``. Errors are ``[{code, description}]`` with 400, 403 or
404. Nothing personal is published: phone numbers in descriptions are masked, and for a
report (举报) neither the description nor the street address is shown, so the firm a
whistleblower reported cannot work out who it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from xml.etree import ElementTree as ET  # noqa: S405 - we only build XML, never parse it
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .models import CLOSED_STATES, Category, Demand, DemandType, State
from .services import intake, lookups

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
PHONE_RE = re.compile(r"1[3-9]\d{9}")
FORMATS = {"json", "xml"}
XML_ROOTS = {  # collection element, item element
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# ---- rendering -------------------------------------------------------------------------


def _xml_value(parent, name, value):
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(node, k, v)
    elif isinstance(value, list):
        singular = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}.get(name, "item")
        for item in value:
            _xml_value(node, singular, item)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def render(data, fmt: str, kind: str, status: int = 200):
    if fmt == "xml":
        if isinstance(data, list):
            root_name, item_name = XML_ROOTS[kind]
            root = ET.Element(root_name)
            for item in data:
                _xml_value(root, item_name, item)
        else:
            root = ET.Element(kind)
            for k, v in data.items():
                _xml_value(root, k, v)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(fmt, status, description):
    return render([{"code": status, "description": description}], fmt if fmt in FORMATS else "json", "errors", status)


def endpoint(view):
    """Format check, uniform errors, and the public rule (keys are checked per write)."""

    @csrf_exempt
    @requires("complaints.open311")
    def wrapped(request, *args, fmt: str = "json", **kwargs):
        if fmt not in FORMATS:
            return _error("json", 400, f"unsupported format '{fmt}': use .json or .xml")
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc.status, exc.description)

    wrapped.permission_rule = "complaints.open311"
    return wrapped


def _w3c(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


def _service(c: Category) -> dict:
    return {"service_code": c.code, "service_name": c.name, "description": c.description or c.name,
            "metadata": True, "type": "batch", "keywords": c.keywords.replace(" ", ","), "group": c.group}


def _request_row(d: Demand) -> dict:
    closed = d.state in CLOSED_STATES
    notes = str(d.get_state_display())
    if d.public_reply:
        notes += "：" + PHONE_RE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], d.public_reply)
    if d.state == State.MERGED and d.merged_into_id:
        notes += f"（合并至 {d.merged_into.number}）"
    is_report = d.demand_type == DemandType.REPORT
    due = d.handle_due or d.accept_due
    return {
        "service_request_id": d.number,
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": d.category.name,
        "service_code": d.category.code,
        "description": "" if is_report else PHONE_RE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], d.description),
        "agency_responsible": d.lead_org.name if d.lead_org else "",
        "service_notice": "",
        "requested_datetime": _w3c(d.received_at),
        "updated_datetime": _w3c(d.updated_at),
        "expected_datetime": _w3c(dt.datetime.combine(due, dt.time(17, 30), ZoneInfo(settings.TIME_ZONE))) if due and not closed else None,
        "address": d.area.name if is_report else f"{d.area.name}{d.address}",
        "address_id": "",
        "zipcode": "",
        "lat": None if is_report else d.lat,
        "long": None if is_report else d.lng,
        "media_url": "",
    }


# ---- endpoints --------------------------------------------------------------------------


@endpoint
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0] + "/"
    return render({
        "changeset": "2026-11-26T00:00:00+08:00",
        "contact": "市质量强市办 12345",
        "key_service": "向市质量强市办申请 api_key（qcity open311 create-key NAME）",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-26T00:00:00+08:00", "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    }, fmt, "discovery")


@endpoint
def services(request, fmt):
    return render([_service(c) for c in Category.objects.filter(is_active=True)], fmt, "services")


@endpoint
def service_definition(request, code, fmt):
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, f"service_code '{code}' not found")
    districts = [{"key": a.name, "name": a.name} for a in Area.objects.exclude(kind=Area.Kind.CITY)]
    types = [{"key": v, "name": str(label)} for v, label in DemandType.choices]
    return render({
        "service_code": category.code,
        "attributes": [
            {"variable": True, "code": "district", "datatype": "singlevaluelist", "required": False,
             "datatype_description": "所在区；缺省时按 lat/long 取最近的区", "order": 1, "description": "所在区",
             "values": districts},
            {"variable": True, "code": "type", "datatype": "singlevaluelist", "required": False,
             "datatype_description": "缺省：留电话为投诉，否则为匿名举报", "order": 2, "description": "诉求类型", "values": types},
            {"variable": True, "code": "respondent", "datatype": "string", "required": False,
             "datatype_description": "被投诉单位名称", "order": 3, "description": "被投诉单位", "values": []},
        ],
    }, fmt, "service_definition")


@endpoint
def requests_(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        raise Open311Error(400, "method not allowed")
    return render([_request_row(d) for d in _search(request.GET)], fmt, "requests")


def _parse_dt(name, text):
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} '{text}' is not a w3 datetime (e.g. 2026-11-01T00:00:00+08:00)") from None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def _search(params):
    qs = Demand.objects.select_related("category", "area", "lead_org", "merged_into").order_by("-received_at")
    ids = [x.strip() for x in params.get("service_request_id", "").split(",") if x.strip()]
    if ids:  # the spec: other parameters are ignored when ids are given
        return list(qs.filter(number__in=ids)[:MAX_RESULTS])
    codes = [x.strip() for x in params.get("service_code", "").split(",") if x.strip()]
    if codes:
        unknown = set(codes) - set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown:
            raise Open311Error(400, f"unknown service_code: {', '.join(sorted(unknown))}")
        qs = qs.filter(category__code__in=codes)
    end = _parse_dt("end_date", params["end_date"]) if params.get("end_date") else None
    start = _parse_dt("start_date", params["start_date"]) if params.get("start_date") else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - dt.timedelta(days=DEFAULT_DAYS)
    if end is None:
        end = start + dt.timedelta(days=DEFAULT_DAYS)
    if end < start:
        raise Open311Error(400, "end_date is before start_date")
    if end - start > dt.timedelta(days=DEFAULT_DAYS):
        raise Open311Error(400, f"the date range may span at most {DEFAULT_DAYS} days")
    qs = qs.filter(received_at__gte=start, received_at__lte=end)
    statuses = {x.strip() for x in params.get("status", "").split(",") if x.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be 'open' and/or 'closed'")
    if statuses == {"open"}:
        qs = qs.exclude(state__in=CLOSED_STATES)
    elif statuses == {"closed"}:
        qs = qs.filter(state__in=CLOSED_STATES)
    return list(qs[:MAX_RESULTS])


@endpoint
def request_detail(request, request_id, fmt):
    demand = Demand.objects.select_related("category", "area", "lead_org", "merged_into").filter(number=request_id).first()
    if demand is None:
        raise Open311Error(404, f"service_request_id '{request_id}' not found")
    return render([_request_row(demand)], fmt, "requests")


@endpoint
def token(request, token_id, fmt):
    demand = Demand.objects.filter(tracking_code=token_id.upper()).first()
    if demand is None:
        raise Open311Error(404, f"token '{token_id}' not found")
    return render([{"service_request_id": demand.number, "token": demand.tracking_code}], fmt, "requests")


def _nearest_area(lat: float, lng: float) -> Area | None:
    areas = [a for a in lookups.tables().districts if a.center_lat is not None]
    return min(areas, key=lambda a: (a.center_lat - lat) ** 2 + (a.center_lng - lng) ** 2, default=None)


def _create(request, fmt):
    post = request.POST
    key = post.get("api_key", "")
    if not key or not lookups.tables().open311_key_active(hash_key(key)):
        raise Open311Error(403, "api_key missing or invalid")
    code = post.get("service_code", "")
    if not code:
        raise Open311Error(400, "service_code is required")
    category = lookups.tables().categories.get(code)  # the intake's copy of the taxonomy
    if category is None or not category.is_active:
        raise Open311Error(404, f"service_code '{code}' not found")
    description = post.get("description", "")
    if len(description) > intake.MAX_DESCRIPTION:
        raise Open311Error(400, f"description is {len(description)} characters; the limit is {intake.MAX_DESCRIPTION}")
    lat, lng = _float(post, "lat"), _float(post, "long")
    address = post.get("address_string", "")
    district = post.get("attribute[district]", "")
    if not district and lat is not None and lng is not None:
        nearest = _nearest_area(lat, lng)
        district = nearest.name if nearest else ""
    if not district:
        district = next((a.name for a in lookups.tables().districts if address and a.name in address), "")
    if not (lat is not None and lng is not None) and not address and not district:
        raise Open311Error(400, "a location is required: lat & long, address_string or attribute[district]")
    phone = post.get("phone", "")
    demand_type = post.get("attribute[type]", "") or ("complaint" if phone else "report")
    name = (post.get("last_name", "") + post.get("first_name", "")).strip()
    try:
        demand = intake.submit(
            by=Actor.from_request(request), channel="api", demand_type=demand_type, category=category,
            description=description, district=district or "", address=address, lat=lat, lng=lng,
            respondent_name=post.get("attribute[respondent]", ""), anonymous=demand_type == "report" and not phone,
            contact_name=name, contact_phone=phone, contact_email=post.get("email", ""),
        )
    except DomainError as exc:
        raise Open311Error(400, "; ".join(f"{k}: {v[0]}" for k, v in exc.errors.items()) or exc.message) from None
    return render([{"service_request_id": demand.number, "token": demand.tracking_code,
                    "service_notice": f"请保存查询码 {demand.tracking_code}", "account_id": ""}], fmt, "requests")


def _float(post, name):
    text = post.get(name, "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise Open311Error(400, f"{name} '{text}' is not a number") from None



