from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """An administrative area: the city, a district (GB/T 2260 code) or a functional zone.

    Functional zones such as 东湖新技术开发区 are administered by the city but have no
    GB/T 2260 code of their own, so ``code`` is empty for them.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区")
        FUNCTIONAL_ZONE = "zone", _("功能区")

    code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    center_lng = models.FloatField(null=True, blank=True)
    center_lat = models.FloatField(null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code", "name"]
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="area_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CityMap(models.Model):
    """The district boundaries a city loaded with ``qcity load_areas``, as GeoJSON text.

    Kept in the database rather than under ``static/`` so that every web process behind a
    load balancer serves the same map without a shared disk; ``/geo/districts.geojson``
    serves the newest one and falls back to the bundled Wuhan file."""

    city = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    geojson = models.TextField()
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("区划地图")
        verbose_name_plural = _("区划地图")

    def __str__(self) -> str:
        return f"{self.city} {self.sha256[:12]}"
