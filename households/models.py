"""Households and their members, the poverty standards (data, not constants) and the assessments
(surveys) that classify a household under the standard that serves their review
(`PovertyStandard.objects.for_review`).

A household's status on a date is its latest approved assessment effective on or before that date.
Each approved assessment carries `valid_until` (the effective date of the next approved one), so
"status on D" is the range filter `effective_date <= D < valid_until` — one pass, no subquery."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from core.models import Authored
from core.text import search_key
from households import indicators
from households.classification import StandardRules
from units.models import AdministrativeUnit, Area
from units.placement import place_objects


def located_ids(record) -> dict[str, int | None]:
    """The unit ids of a located record in both trees (recorded with each audit entry)."""
    return {
        "province": record.province_id,
        "district": record.district_id,
        "commune": record.commune_id,
        "new_province": record.new_province_id,
        "new_commune": record.new_commune_id,
    }


class Rule(models.TextChoices):
    """The legal shape of a standard's rule. The shape is code (households/classification.py);
    its numbers are data on PovertyStandard."""

    EITHER_2016 = "either_2016", _("Nghèo theo thu nhập, hoặc thu nhập + thiếu hụt (QĐ 59/2015)")
    INCOME_AND_DEPRIVATION = "income_and_deprivation", _("Thu nhập và thiếu hụt (NĐ 07/2021, NĐ 351/2025)")


class PovertyClass(models.TextChoices):
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    MEDIUM = "medium", _("Hộ có mức sống trung bình")
    NOT_POOR = "not_poor", _("Hộ không nghèo")


class PoorGroup(models.TextChoices):
    """Under QĐ 59/2015 only: which branch made the household poor (shown as N1 / N2)."""

    INCOME = "income", _("N1 – nghèo về thu nhập")
    DEPRIVATION = "deprivation", _("N2 – nghèo do thiếu hụt dịch vụ xã hội cơ bản")


def review_standard_date(kind: str, review_year: int, effective_date: date | None = None) -> date:
    """The day whose standard in force serves a review (see PovertyStandardQuerySet.for_review)."""
    if kind == Assessment.Kind.PERIODIC:
        return date(review_year + 1, 1, 1)
    if effective_date is None:
        raise ValueError("A regular review is served by the standard of its effective date.")
    return effective_date


class PovertyStandardQuerySet(models.QuerySet):
    def covering(self, day: date) -> "PovertyStandardQuerySet":
        """The standards, national and provincial, in force on `day`: a standard covers
        1 January of `year_from` to 31 December of `year_to`."""
        return self.filter(year_from__lte=day.year, year_to__gte=day.year)

    def in_force_on(self, day: date, province: AdministrativeUnit | int | None = None) -> "PovertyStandard":
        """The standard in force on `day`: the province's own first, else the national one."""
        candidates = self.covering(day)
        if province is not None:
            local = candidates.filter(province=province).first()
            if local is not None:
                return local
        standard = candidates.filter(province__isnull=True).first()
        if standard is None:
            raise PovertyStandard.DoesNotExist(f"No poverty standard is in force on {day.isoformat()}.")
        return standard

    def for_review(
        self,
        kind: str,
        review_year: int,
        effective_date: date | None = None,
        province: AdministrativeUnit | int | None = None,
    ) -> "PovertyStandard":
        """The standard that serves a review (domain.md §9):

        - a periodic (year-end) review of year Y draws up the lists of year Y+1, so it uses the
          standard in force on 1 January Y+1, whatever its effective date (December Y or early Y+1);
        - a regular review uses the standard in force on its effective date.

        With the seeded standards (QĐ 59/2015 for 2016–2021, NĐ 07/2021 for 2022–2026, NĐ 351/2025
        for 2027–2030): the periodic reviews of 2015–2020 fall under QĐ 59, 2021–2025 under NĐ 07,
        2026–2029 under NĐ 351; a regular review effective 31/12/2021 under QĐ 59, 01/01/2022 under
        NĐ 07. The census import and its template are periodic reviews of their year."""
        return self.in_force_on(review_standard_date(kind, review_year, effective_date), province)

    def review_years(self, kind: str | None = None) -> list[int]:
        """The years a review of `kind` (either kind when None) can be made in under a national
        standard: periodic ones the year before each covered year, regular ones each covered year."""
        years: set[int] = set()
        for start, end in self.filter(province__isnull=True).values_list("year_from", "year_to"):
            if kind in (None, Assessment.Kind.PERIODIC):
                years.update(range(start - 1, end))
            if kind in (None, Assessment.Kind.REGULAR):
                years.update(range(start, end + 1))
        return sorted(years)


class PovertyStandard(Versioned):
    """A multidimensional poverty standard: legal basis, the years it governs, and its numbers.

    Values the legal texts do not fix (marked UNCONFIRMED in the domain notes) are editable here by
    an administrator; a standard of the same rule shape can be added without code."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=200)
    rule = models.CharField(_("dạng quy tắc"), max_length=32, choices=Rule.choices)
    year_from = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    year_to = models.PositiveSmallIntegerField(_("áp dụng đến năm"))
    province = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": 1},
        verbose_name=_("chuẩn riêng của tỉnh"),
    )
    poverty_line_rural = models.PositiveIntegerField(_("chuẩn nghèo nông thôn (đ/người/tháng)"))
    poverty_line_urban = models.PositiveIntegerField(_("chuẩn nghèo thành thị (đ/người/tháng)"))
    near_poverty_line_rural = models.PositiveIntegerField(
        _("chuẩn cận nghèo nông thôn"), null=True, blank=True, help_text=_("Chỉ dùng cho chuẩn 2016–2020.")
    )
    near_poverty_line_urban = models.PositiveIntegerField(
        _("chuẩn cận nghèo thành thị"), null=True, blank=True
    )
    medium_upper_rural = models.PositiveIntegerField(
        _("mức sống trung bình nông thôn, cận trên"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu chưa có quy định."),
    )
    medium_upper_urban = models.PositiveIntegerField(
        _("mức sống trung bình thành thị, cận trên"), null=True, blank=True
    )
    deprivation_threshold = models.PositiveSmallIntegerField(
        _("số chỉ số thiếu hụt để là hộ nghèo"), default=3
    )
    provisional = models.BooleanField(
        _("tạm thời"),
        default=False,
        help_text=_("Danh mục chỉ số hoặc mức chuẩn chưa được xác nhận chính thức."),
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = PovertyStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuẩn nghèo")
        verbose_name_plural = _("chuẩn nghèo")
        ordering = ["year_from"]

    def __str__(self):
        return f"{self.name} ({self.legal_basis})"

    def clean(self):
        """What the admin form refuses: an empty year range, a 2016-shape standard without its
        near-poverty lines, a medium band below the poverty line, and two standards of the same
        scope (national, or the same province) for one year."""
        from django.core.exceptions import ValidationError

        errors = {}
        if self.year_from and self.year_to and self.year_from > self.year_to:
            errors["year_to"] = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
        if self.rule == Rule.EITHER_2016:
            for name in ("near_poverty_line_rural", "near_poverty_line_urban"):
                if getattr(self, name) is None:
                    errors[name] = _(
                        "Chuẩn dạng 2016–2020 cần chuẩn cận nghèo cho cả nông thôn và thành thị."
                    )
        for area in ("rural", "urban"):
            line, medium = getattr(self, f"poverty_line_{area}"), getattr(self, f"medium_upper_{area}")
            if line is not None and medium is not None and medium <= line:
                errors[f"medium_upper_{area}"] = _("Cận trên mức sống trung bình phải lớn hơn chuẩn nghèo.")
        if self.year_from and self.year_to:
            overlapping = PovertyStandard.objects.filter(
                year_from__lte=self.year_to, year_to__gte=self.year_from, province=self.province
            ).exclude(pk=self.pk)
            other = overlapping.first()
            if other is not None:
                errors["year_from"] = _("Các năm này đã thuộc chuẩn “%(name)s” (%(start)s–%(end)s).") % {
                    "name": other.name,
                    "start": other.year_from,
                    "end": other.year_to,
                }
        if errors:
            raise ValidationError(errors)

    def rules(self, indicators=None) -> "StandardRules":
        """This standard's numbers for the pure classification (one query for the indicators, none
        when the caller already holds them, in order)."""
        if indicators is None:
            indicators = self.indicators.order_by("order").values_list("code", "name")
        else:
            indicators = [(indicator.code, indicator.name) for indicator in indicators]
        return StandardRules(
            rule=self.rule,
            poverty_line={Area.RURAL: self.poverty_line_rural, Area.URBAN: self.poverty_line_urban},
            near_poverty_line={
                Area.RURAL: self.near_poverty_line_rural,
                Area.URBAN: self.near_poverty_line_urban,
            },
            medium_upper={Area.RURAL: self.medium_upper_rural, Area.URBAN: self.medium_upper_urban},
            deprivation_threshold=self.deprivation_threshold,
            indicators=dict(indicators),
            name=self.legal_basis,
        )


class Indicator(models.Model):
    """One deprivation indicator of a standard, in the order of the legal text.

    Its `order` (1-based) is also its bit in Assessment.deprived_mask: bit (order − 1)."""

    standard = models.ForeignKey(
        PovertyStandard, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("chuẩn nghèo")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.SlugField(_("mã"), max_length=40)
    dimension = models.CharField(_("chiều thiếu hụt"), max_length=120)
    name = models.CharField(_("chỉ số"), max_length=160)
    definition = models.TextField(_("định nghĩa thiếu hụt"), blank=True)
    provisional = models.BooleanField(_("tạm thời"), default=False)

    class Meta:
        verbose_name = _("chỉ số thiếu hụt")
        verbose_name_plural = _("chỉ số thiếu hụt")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="indicator_order_unique"),
            models.UniqueConstraint(fields=["standard", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=models.Q(order__gte=1, order__lte=30), name="indicator_order_fits_mask"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def bit(self) -> int:
        return indicators.bit(self.order)


class Lookup(models.Model):
    """An editable list entry: stable code for reports and imports, name editable by administrators."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=160)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class PolicyGroup(Lookup):
    """Đối tượng chính sách (domain.md §5). Reports rely on the codes `bao-tro-xa-hoi`,
    `nguoi-co-cong`, `dan-toc-thieu-so` (the last reveals ethnicity: shown only with view_ethnicity)."""

    class Meta(Lookup.Meta):
        verbose_name = _("đối tượng chính sách")
        verbose_name_plural = _("đối tượng chính sách")


class PovertyCause(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = _("nguyên nhân nghèo")
        verbose_name_plural = _("nguyên nhân nghèo")


class PlacedIn2025(models.Model):
    """A located record's place in the 2025 tree (units/placement.py), set on save: the 2025
    province and commune its commune and village became part of (its own for a record of the 2025
    tree). A 2025 unit's figures, lists and scope read these, so its history before 01/07/2025 is
    its predecessors'. new_commune empty: a split commune's village not yet assigned ("chưa xác
    định đơn vị mới")."""

    new_province = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh/thành phố (từ 2025)"),
    )
    new_commune = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã/phường (từ 2025)"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        place_objects(AdministrativeUnit, [self])
        super().save(*args, **kwargs)


class Household(PlacedIn2025, Versioned, Authored):
    """A household in a commune. Its province, district, commune and village are stored on it so
    that a unit's subtree is one indexed equality filter; its current status and head are copied
    from its members and latest approved assessment for lists of 10,000 households."""

    class Labour(models.TextChoices):
        HAS_LABOUR = "has_labour", _("Có lao động")
        NO_LABOUR = "no_labour", _("Không có khả năng lao động")

    code = models.CharField(_("mã hộ"), max_length=40)
    province = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    district = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quận/huyện"),
    )
    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="households", verbose_name=_("xã/phường")
    )
    village = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="village_households",
        verbose_name=_("thôn/tổ dân phố"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    area = models.CharField(_("khu vực"), max_length=8, choices=Area.choices)
    labour = models.CharField(
        _("khả năng lao động"), max_length=16, choices=Labour.choices, default=Labour.HAS_LABOUR
    )
    agri_forestry_fishery_salt = models.BooleanField(_("hộ làm nông, lâm, ngư, diêm nghiệp"), default=False)
    policy_groups = models.ManyToManyField(PolicyGroup, blank=True, verbose_name=_("đối tượng chính sách"))
    causes = models.ManyToManyField(PovertyCause, blank=True, verbose_name=_("nguyên nhân nghèo"))
    note = models.TextField(_("ghi chú"), blank=True)

    # Copied from the head member (services keep them in step).
    head_name = models.CharField(_("chủ hộ"), max_length=120, blank=True)
    head_search = models.CharField(
        _("tên chủ hộ không dấu"), max_length=120, blank=True, editable=False, db_index=True
    )
    female_head = models.BooleanField(_("chủ hộ là nữ"), default=False)
    ethnic_minority = models.BooleanField(_("hộ dân tộc thiểu số"), default=False)
    member_count = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=0)

    # Copied from the latest approved assessment (services keep them in step).
    status_class = models.CharField(
        _("phân loại hiện tại"), max_length=16, choices=PovertyClass.choices, blank=True
    )
    status_group = models.CharField(_("nhóm hộ nghèo"), max_length=16, choices=PoorGroup.choices, blank=True)
    status_year = models.PositiveSmallIntegerField(_("năm rà soát của phân loại"), null=True, blank=True)
    latest_state = models.CharField(_("trạng thái rà soát"), max_length=16, blank=True)

    removed_on = models.DateField(_("ngày đưa ra khỏi danh sách"), null=True, blank=True)
    removed_reason = models.CharField(_("lý do"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["commune", "code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="household_code_unique_in_commune")
        ]
        indexes = [
            models.Index(fields=["province", "status_class"]),
            models.Index(fields=["district", "status_class"]),
            models.Index(fields=["commune", "status_class"]),
            models.Index(fields=["village"]),
            models.Index(fields=["new_province", "status_class"]),
            models.Index(fields=["new_commune", "status_class"]),
        ]
        permissions = [
            ("view_ethnicity", "Có thể xem dân tộc (dữ liệu nhạy cảm)"),
            ("import_census", "Có thể nhập dữ liệu rà soát cuối năm"),
        ]

    def __str__(self):
        return f"{self.code} – {self.head_name}"

    def save(self, *args, **kwargs):
        self.head_search = search_key(self.head_name)
        super().save(*args, **kwargs)

    def get_additional_data(self):
        """Unit ids recorded with each audit entry, so the audit view can be scoped."""
        return located_ids(self)


class Member(models.Model):
    class Sex(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    class Relation(models.TextChoices):
        HEAD = "head", _("Chủ hộ")
        SPOUSE = "spouse", _("Vợ/chồng")
        CHILD = "child", _("Con")
        PARENT = "parent", _("Cha/mẹ")
        GRANDPARENT = "grandparent", _("Ông/bà")
        GRANDCHILD = "grandchild", _("Cháu")
        SIBLING = "sibling", _("Anh/chị/em")
        IN_LAW = "in_law", _("Con dâu/con rể")
        OTHER = "other", _("Khác")

    class Schooling(models.TextChoices):
        NOT_APPLICABLE = "", _("—")
        PRESCHOOL = "preschool", _("Mầm non")
        IN_SCHOOL = "in_school", _("Đang đi học")
        DROPPED_OUT = "dropped_out", _("Bỏ học")
        NEVER = "never", _("Chưa từng đi học")
        PRIMARY = "primary", _("Hết tiểu học")
        LOWER_SECONDARY = "lower_secondary", _("Hết THCS")
        UPPER_SECONDARY = "upper_secondary", _("Hết THPT")
        VOCATIONAL = "vocational", _("Trung cấp, cao đẳng nghề")
        HIGHER = "higher", _("Cao đẳng, đại học trở lên")

    class Work(models.TextChoices):
        NOT_APPLICABLE = "", _("—")
        EMPLOYED = "employed", _("Có việc làm")
        EMPLOYED_NO_CONTRACT = "no_contract", _("Làm công không có hợp đồng")
        UNEMPLOYED = "unemployed", _("Thất nghiệp")
        STUDENT = "student", _("Học sinh, sinh viên")
        HOMEMAKER = "homemaker", _("Nội trợ")
        RETIRED = "retired", _("Nghỉ hưu, già yếu")
        UNABLE = "unable", _("Không có khả năng lao động")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("hộ gia đình")
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    search_name = models.CharField(_("họ tên không dấu"), max_length=120, editable=False, db_index=True)
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    relation = models.CharField(_("quan hệ với chủ hộ"), max_length=16, choices=Relation.choices)
    citizen_id = models.CharField(_("số CCCD/định danh"), max_length=12, blank=True, db_index=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True, default="Kinh")
    disability = models.BooleanField(_("khuyết tật"), default=False)
    health_insurance = models.BooleanField(_("có thẻ BHYT"), default=True)
    schooling = models.CharField(_("học vấn, đi học"), max_length=20, choices=Schooling.choices, blank=True)
    work = models.CharField(_("việc làm"), max_length=20, choices=Work.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự trong hộ"), default=0)

    class Meta:
        verbose_name = _("nhân khẩu")
        verbose_name_plural = _("nhân khẩu")
        ordering = ["household", "order", "pk"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.full_name)
        super().save(*args, **kwargs)

    def get_additional_data(self):
        return self.household.get_additional_data() | {"household": self.household_id}


class Change(models.TextChoices):
    """What an approved assessment changed relative to the household's previous status."""

    NEW_POOR = "new_poor", _("Phát sinh mới hộ nghèo")
    NEW_NEAR_POOR = "new_near_poor", _("Phát sinh mới hộ cận nghèo")
    ESCAPED_POVERTY = "escaped_poverty", _("Thoát nghèo")
    ESCAPED_TO_NEAR_POOR = "escaped_to_near_poor", _("Thoát nghèo, thành hộ cận nghèo")
    ESCAPED_NEAR_POVERTY = "escaped_near_poverty", _("Thoát cận nghèo")
    RELAPSED_POOR = "relapsed_poor", _("Tái nghèo")
    RELAPSED_NEAR_POOR = "relapsed_near_poor", _("Tái cận nghèo")
    NEAR_POOR_TO_POOR = "near_to_poor", _("Từ cận nghèo thành hộ nghèo")
    UNCHANGED = "unchanged", _("Không thay đổi")
    FIRST = "first", _("Lần rà soát đầu tiên")


class Assessment(PlacedIn2025, Versioned, Authored):
    """One survey of one household under one standard: periodic (the annual review) or regular
    (a change during the year), classified by households/classification.py and reviewed by a
    commune leader. Only approved assessments count."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Rà soát định kỳ (hằng năm)")
        REGULAR = "regular", _("Rà soát thường xuyên (trong năm)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Trả lại")

    # The workflow in one place: which states the officer may still edit and submit (the others
    # wait for the leader, or are decided).
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("hộ gia đình")
    )
    # Where the household was when assessed (reports group by these).
    province = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    district = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quận/huyện"),
    )
    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    village = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn/tổ dân phố"),
    )

    kind = models.CharField(_("loại rà soát"), max_length=16, choices=Kind.choices, default=Kind.PERIODIC)
    review_year = models.PositiveSmallIntegerField(_("năm rà soát"))
    effective_date = models.DateField(_("ngày hiệu lực"))
    standard = models.ForeignKey(PovertyStandard, on_delete=models.PROTECT, verbose_name=_("chuẩn nghèo"))
    area = models.CharField(_("khu vực"), max_length=8, choices=Area.choices)
    member_count = models.PositiveSmallIntegerField(_("số nhân khẩu"))
    annual_income = models.PositiveBigIntegerField(
        _("tổng thu nhập của hộ trong năm (đ)"), null=True, blank=True
    )
    income_per_capita = models.PositiveIntegerField(_("thu nhập bình quân (đ/người/tháng)"))
    deprived_mask = models.PositiveIntegerField(
        _("chỉ số thiếu hụt"), default=0, help_text=_("Bit (thứ tự − 1) của mỗi chỉ số thiếu hụt.")
    )
    deprived_count = models.PositiveSmallIntegerField(_("số chỉ số thiếu hụt"), default=0)

    result_class = models.CharField(_("phân loại"), max_length=16, choices=PovertyClass.choices)
    result_group = models.CharField(_("nhóm"), max_length=16, choices=PoorGroup.choices, blank=True)
    reasons = models.TextField(_("lý do phân loại"), blank=True)
    commune_class = models.CharField(
        _("phân loại của xã"),
        max_length=16,
        choices=PovertyClass.choices,
        blank=True,
        help_text=_("Kết quả xã tự ghi trên biểu nhập, để đối chiếu."),
    )

    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    change = models.CharField(_("biến động"), max_length=24, choices=Change.choices, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lần duyệt trước"),
    )
    valid_until = models.DateField(
        _("hiệu lực đến (không gồm)"),
        null=True,
        blank=True,
        help_text=_("Ngày hiệu lực của lần duyệt kế tiếp."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    import_job = models.ForeignKey(
        "core.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đợt nhập"),
    )

    # Who entered its figures by hand (created or edited it): with the submitter, the people who may
    # not decide it (units.access.four_eyes). A draft the system opens from an approved status (a
    # confirmed escape) has none until someone edits it.
    entered_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("người đã nhập phiếu")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người gửi duyệt"),
    )
    submitted_at = models.DateTimeField(_("gửi duyệt lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người duyệt hoặc trả lại"),
    )
    decided_at = models.DateTimeField(_("duyệt hoặc trả lại lúc"), null=True, blank=True)
    decided_alone = models.BooleanField(
        _("quyết định bởi người đã nhập (xã một cán bộ)"),
        default=False,
        db_default=False,  # raw inserts (the census import) leave it out
        help_text=_("Người duyệt hoặc trả lại cũng là người đã nhập hoặc gửi phiếu: xã chỉ có một cán bộ."),
    )

    class Meta:
        verbose_name = _("phiếu rà soát")
        verbose_name_plural = _("phiếu rà soát")
        ordering = ["household", "effective_date", "pk"]
        indexes = [
            models.Index(fields=["household", "state", "effective_date"]),
            models.Index(fields=["province", "state", "effective_date"]),
            models.Index(fields=["commune", "state", "effective_date"]),
            models.Index(fields=["new_province", "state", "effective_date"]),
            models.Index(fields=["new_commune", "state", "effective_date"]),
            models.Index(fields=["state", "review_year"]),
        ]
        permissions = [
            ("submit_assessment", "Có thể gửi phiếu rà soát để duyệt"),
            ("approve_assessment", "Có thể duyệt hoặc trả lại phiếu rà soát"),
        ]

    def __str__(self):
        return f"{self.household.code} · {self.review_year} · {self.get_result_class_display()}"

    @classmethod
    def audit_value(cls, name: str, raw, object_pk) -> tuple[str, str] | None:
        """How the change history shows a coded field: the deprived indicators by name, not the bit
        mask they are stored as (None: shown as stored)."""
        if name != "deprived_mask":
            return None
        standard_id = cls.objects.filter(pk=object_pk).values_list("standard_id", flat=True).first()
        if standard_id is None:
            return None
        names = list(Indicator.objects.filter(standard_id=standard_id).values_list("order", "name"))

        def read(value) -> str:
            text = "" if value is None else str(value)
            if not text.isdigit():
                return ""
            mask = int(text)
            return ", ".join(indicators.decode(mask, [(label, order) for order, label in sorted(names)]))

        values = (list(raw) + ["", ""])[:2]
        return read(values[0]), read(values[1])

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    def get_additional_data(self):
        return located_ids(self)

    @property
    def poor_group_label(self) -> str:
        return {"income": "N1", "deprivation": "N2"}.get(self.result_group, "")
