"""Annual poverty-reduction targets allocated down the administrative tree, and the households a
mass organisation registers to help out of poverty, with the help given and the outcome."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from core.formatting import fmt_money, rate
from core.models import Authored
from households.models import Household, PovertyCause, PovertyClass
from units.models import AdministrativeUnit, Organisation


class AnnualTarget(Versioned, Authored):
    """A unit's target for a year: households to take out of poverty and out of near-poverty.

    `organisation` empty means the locality's own target (set by its People's Committee); set, it
    is that organisation's share (e.g. the Women's Union's 20 %). The baseline the target was set on
    is frozen with it: computed from approved assessments at the start of the year, or entered."""

    class BaselineSource(models.TextChoices):
        COMPUTED = "computed", _("Tính từ dữ liệu hộ đã duyệt")
        ENTERED = "entered", _("Nhập tay (đơn vị chưa có dữ liệu hộ)")
        IMPORTED = "imported", _("Nhập từ bảng chỉ tiêu")

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="targets", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("tổ chức"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("phân bổ từ"),
    )

    reduce_poor = models.PositiveIntegerField(_("số hộ nghèo giảm"), default=0)
    reduce_near_poor = models.PositiveIntegerField(_("số hộ cận nghèo giảm"), default=0)
    share_percent = models.DecimalField(
        _("tỷ lệ phần của tổ chức (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    baseline_source = models.CharField(
        _("nguồn số liệu đầu kỳ"),
        max_length=16,
        choices=BaselineSource.choices,
        default=BaselineSource.COMPUTED,
    )
    baseline_date = models.DateField(_("số liệu đầu kỳ tính đến ngày"), null=True, blank=True)
    baseline_households = models.PositiveIntegerField(_("tổng số hộ"), default=0)
    baseline_poor = models.PositiveIntegerField(_("số hộ nghèo"), default=0)
    baseline_near_poor = models.PositiveIntegerField(_("số hộ cận nghèo"), default=0)
    baseline_poor_policy = models.PositiveIntegerField(_("hộ nghèo thuộc chính sách giảm nghèo"), default=0)
    baseline_poor_social_protection = models.PositiveIntegerField(
        _("hộ nghèo thuộc đối tượng bảo trợ xã hội"), default=0
    )
    baseline_poor_female_head = models.PositiveIntegerField(_("hộ nghèo chủ hộ là nữ"), default=0)
    baseline_near_poor_female_head = models.PositiveIntegerField(_("hộ cận nghèo chủ hộ là nữ"), default=0)

    position = models.PositiveSmallIntegerField(
        _("thứ tự trong bảng"),
        default=0,
        help_text=_("Thứ tự dòng của đơn vị trong bảng chỉ tiêu của cấp trên."),
    )
    mismatch_reason = models.TextField(
        _("lý do chênh lệch"),
        blank=True,
        help_text=_("Bắt buộc khi tổng chỉ tiêu các đơn vị cấp dưới khác cấp trên."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu năm")
        verbose_name_plural = _("chỉ tiêu năm")
        ordering = ["year", "unit__level", "position", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=models.Q(organisation__isnull=True),
                name="one_local_target_per_unit_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="one_organisation_target_per_unit_year",
            ),
        ]
        permissions = [("allocate_target", "Có thể giao và phân bổ chỉ tiêu giảm nghèo")]

    def __str__(self):
        owner = self.organisation or self.unit
        return f"{owner} · {self.year}"

    def get_additional_data(self):
        return self.unit.located_ids() | {"unit": self.unit_id}

    # The rates that follow from the target and its baseline (percent of all households, as in the
    # Cam Lộ table: columns 9, 10 and 11); None when the baseline has no households.
    @property
    def reduce_rate(self):
        return rate(self.reduce_poor, self.baseline_households)

    @property
    def year_end_poor(self) -> int:
        return max(self.baseline_poor - self.reduce_poor, 0)

    @property
    def year_end_poor_rate(self):
        return rate(self.year_end_poor, self.baseline_households)

    @property
    def year_end_near_poor(self) -> int:
        return max(self.baseline_near_poor - self.reduce_near_poor, 0)

    @property
    def year_end_near_poor_rate(self):
        return rate(self.year_end_near_poor, self.baseline_households)


class SupportMeasure(models.Model):
    """A planned measure (editable list): preferential loan, livelihood means, vocational training..."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=160)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("biện pháp hỗ trợ")
        verbose_name_plural = _("biện pháp hỗ trợ")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Outcome(models.TextChoices):
    ESCAPED_POVERTY = "escaped_poverty", _("Thoát nghèo")
    ESCAPED_NEAR_POVERTY = "escaped_near_poverty", _("Thoát cận nghèo")
    NOT_YET = "not_yet", _("Chưa thoát")


#: The class each escape leaves.
ESCAPE_LEAVES = {
    Outcome.ESCAPED_POVERTY: PovertyClass.POOR,
    Outcome.ESCAPED_NEAR_POVERTY: PovertyClass.NEAR_POOR,
}


class Registration(Versioned, Authored):
    """An organisation's commitment to help one household out of poverty in a year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("tổ chức")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("hộ")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    registered_on = models.DateField(_("ngày đăng ký"), default=timezone.localdate)
    class_at_registration = models.CharField(
        _("phân loại khi đăng ký"), max_length=16, choices=PovertyClass.choices
    )
    circumstances = models.TextField(_("hoàn cảnh"), blank=True)
    causes = models.ManyToManyField(PovertyCause, blank=True, verbose_name=_("nguyên nhân nghèo"))
    needs = models.TextField(_("nhu cầu"), blank=True)
    measures = models.ManyToManyField(SupportMeasure, blank=True, verbose_name=_("biện pháp giúp đỡ"))
    responsible_member = models.CharField(_("người phụ trách giúp đỡ"), max_length=120, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    proposed_outcome = models.CharField(
        _("kết quả đề xuất"), max_length=24, choices=Outcome.choices, blank=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người đề xuất"),
    )
    proposed_at = models.DateTimeField(_("đề xuất lúc"), null=True, blank=True)
    confirmed_outcome = models.CharField(
        _("kết quả xã xác nhận"), max_length=24, choices=Outcome.choices, blank=True
    )
    confirmed_on = models.DateField(_("ngày xác nhận"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    confirmed_alone = models.BooleanField(
        _("xác nhận bởi người đã đề xuất (xã một cán bộ)"),
        default=False,
        db_default=False,  # raw inserts (the census import) leave it out
        help_text=_("Người xác nhận cũng là người đề xuất kết quả: xã chỉ có một cán bộ."),
    )

    last_help_on = models.DateField(_("lần hỗ trợ gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký giúp thoát nghèo")
        verbose_name_plural = _("đăng ký giúp thoát nghèo")
        ordering = ["-year", "organisation", "household__commune", "household__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "household", "year"], name="one_registration_per_org_household_year"
            ),
        ]
        permissions = [
            ("propose_outcome", "Có thể đề xuất kết quả giúp đỡ"),
            ("confirm_outcome", "Có thể xác nhận kết quả thoát nghèo"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.household} · {self.year}"

    @property
    def awaiting_review(self) -> bool:
        """A confirmed escape whose regular review is not approved yet: the household still stands
        in the class the escape leaves (the commune's confirmation opens the review; the status
        and every figure change only when a leader approves it — targets.services)."""
        left = ESCAPE_LEAVES.get(self.confirmed_outcome)
        return left is not None and self.household.status_class == left

    def get_additional_data(self):
        return self.household.get_additional_data()


class HelpEntry(models.Model):
    """Help delivered to a registered household."""

    class Kind(models.TextChoices):
        LOAN = "loan", _("Vay vốn ưu đãi (NHCSXH)")
        LIVELIHOOD = "livelihood", _("Phương tiện sinh kế")
        TRAINING = "training", _("Đào tạo nghề")
        JOB = "job", _("Giới thiệu việc làm")
        HOUSING = "housing", _("Hỗ trợ nhà ở")
        HEALTH_INSURANCE = "health_insurance", _("Bảo hiểm y tế")
        SCHOOLING = "schooling", _("Hỗ trợ học tập")
        SAVINGS = "savings", _("Tổ tiết kiệm")
        CASH = "cash", _("Tiền, hiện vật")
        OTHER = "other", _("Khác")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="help_entries", verbose_name=_("đăng ký giúp đỡ")
    )
    kind = models.CharField(_("hình thức"), max_length=24, choices=Kind.choices)
    value = models.PositiveBigIntegerField(_("giá trị (đồng)"), default=0)
    date = models.DateField(_("ngày"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hỗ trợ đã thực hiện")
        verbose_name_plural = _("hỗ trợ đã thực hiện")
        ordering = ["registration", "date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {fmt_money(self.value)}"

    def get_additional_data(self):
        return self.registration.get_additional_data() | {"registration": self.registration_id}
