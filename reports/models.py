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
