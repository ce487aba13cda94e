"""The district boundaries the maps draw: the city's own, else the bundled Wuhan file."""

from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import condition

from ..models import CityMap
from ..permissions import requires

BUNDLED = Path(__file__).resolve().parent.parent.parent / "static" / "geo" / "wuhan_districts.geojson"


def _etag(request):
    latest = CityMap.objects.values_list("sha256", flat=True).first()
    return latest or "bundled-wuhan"


@requires("public")
@condition(etag_func=_etag)
def districts_geojson(request):
    latest = CityMap.objects.first()
    body = latest.geojson if latest is not None else BUNDLED.read_text(encoding="utf-8")
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
