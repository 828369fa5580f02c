"""Locked reporting periods. A locked quarter's figures are frozen; later changes appear as
corrections in the next period instead of silently altering a report already sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import AdministrativeUnit


class PeriodLock(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="period_locks", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    report_code = models.CharField(_("mã báo cáo"), max_length=32, default="quarterly")
    snapshot = models.JSONField(_("số liệu đã khóa"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người khóa")
    )
    locked_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("kỳ báo cáo đã khóa")
        verbose_name_plural = _("kỳ báo cáo đã khóa")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter", "report_code"], name="one_lock_per_period"
            ),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
        ]
        permissions = [
            ("view_report", "Có thể xem và tải báo cáo"),
            ("view_dashboard", "Có thể xem bảng điều khiển của tỉnh"),
            ("lock_period", "Có thể duyệt và khóa kỳ báo cáo"),
        ]

    def __str__(self):
        return f"{self.unit} · Q{self.quarter}/{self.year}"

    def get_additional_data(self):
        return self.unit.located_ids() | {"unit": self.unit_id}


class ResidentPopulation(models.Model):
    """A unit's resident households and persons for a year (dân cư), entered by the commune or
    imported: the denominator of the review summary's rates, since communes do not survey every
    household. Without it a report falls back to the households recorded, and says so."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="resident_populations",
        verbose_name=_("đơn vị"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    households = models.PositiveIntegerField(_("số hộ dân cư"))
    persons = models.PositiveIntegerField(_("số nhân khẩu"))
    source = models.CharField(
        _("nguồn số liệu"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: số liệu công an xã, thống kê dân số ngày 31/12."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu dân cư")
        verbose_name_plural = _("số liệu dân cư")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_resident_population_per_unit_year"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.year}"

    def get_additional_data(self):
        return self.unit.located_ids() | {"unit": self.unit_id}
