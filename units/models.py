"""Administrative units before and after the 2025 reform, the organisations at them, and who works
where (memberships). Scoping rules built on these live in units/access.py."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import search_key

REFORM_DATE = date(2025, 7, 1)


class AdminVersion(models.TextChoices):
    PRE2025 = "pre2025", _("Trước 01/07/2025 (3 cấp)")
    V2025 = "2025", _("Từ 01/07/2025 (2 cấp)")


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Tỉnh")
    DISTRICT = 2, _("Huyện")
    COMMUNE = 3, _("Xã")
    VILLAGE = 4, _("Thôn")


class Kind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    QUAN = "quan", _("Quận")
    HUYEN = "huyen", _("Huyện")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")
    THON = "thon", _("Thôn")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")


class Area(models.TextChoices):
    RURAL = "rural", _("Nông thôn")
    URBAN = "urban", _("Thành thị")


URBAN_KINDS = {Kind.PHUONG, Kind.THI_TRAN, Kind.QUAN, Kind.TO_DAN_PHO}


class AdministrativeUnitQuerySet(models.QuerySet):
    def version(self, admin_version: str):
        return self.filter(admin_version=admin_version)

    def provinces(self):
        return self.filter(level=Level.PROVINCE)

    def communes(self):
        return self.filter(level=Level.COMMUNE)

    def search(self, text: str):
        return self.filter(search_name__contains=search_key(text))

    def by_code(self, code: str, admin_version: str):
        """The unit with this GSO code in this version; accepts unpadded codes ("468", "48")."""
        code = str(code).strip()
        candidates = [code] + [code.zfill(width) for width in (2, 3, 5) if len(code) < width]
        for candidate in candidates:
            unit = self.filter(admin_version=admin_version, code=candidate).first()
            if unit is not None:
                return unit
        raise AdministrativeUnit.DoesNotExist(f"No unit {code} in version {admin_version}")


class AdministrativeUnit(models.Model):
    """A province, district, commune or village in one version of the administrative map.

    GSO codes were reused by the reform, so a code is unique only within its version. The
    province, district and commune above a unit are copied onto it (and onto every household) so
    that a subtree is one indexed equality filter, not a recursive walk."""

    admin_version = models.CharField(_("phiên bản"), max_length=8, choices=AdminVersion.choices)
    code = models.CharField(_("mã"), max_length=16)
    name = models.CharField(_("tên"), max_length=150)
    short_name = models.CharField(_("tên ngắn"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc"),
    )
    province = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tỉnh")
    )
    district = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("huyện")
    )
    commune = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("xã")
    )
    # The unit's place in the 2025 tree (units/placement.py): for a 2025 unit its own province and
    # commune (itself at its level); for a pre-2025 unit the 2025 province and commune it became part
    # of, from the official conversion (empty for a commune split among several new ones, whose
    # villages are assigned one by one).
    new_province = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tỉnh mới")
    )
    new_commune = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("xã mới")
    )
    area = models.CharField(_("khu vực"), max_length=8, choices=Area.choices, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    one_person_commune = models.BooleanField(
        _("xã một cán bộ"),
        default=False,
        db_default=False,  # raw inserts (the census import) leave it out
        help_text=_(
            "Chỉ đánh dấu khi xã chỉ có một người làm công tác giảm nghèo: người đã nhập phiếu hoặc "
            "đề xuất kết quả được tự duyệt, tự xác nhận, và hồ sơ ghi rõ điều đó."
        ),
    )
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["admin_version", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["admin_version", "code"], name="unit_code_unique_per_version"),
        ]
        indexes = [
            models.Index(fields=["admin_version", "level"]),
        ]
        permissions = [("manage_village", "Có thể thêm, sửa thôn/tổ dân phố")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        self.fill_ancestors()
        super().save(*args, **kwargs)
        if self.admin_version == AdminVersion.V2025 and self.level in (Level.PROVINCE, Level.COMMUNE):
            # A new 2025 province or commune is its own place: known once it has an id.
            own = "new_province_id" if self.level == Level.PROVINCE else "new_commune_id"
            if getattr(self, own) != self.pk:
                setattr(self, own, self.pk)
                AdministrativeUnit.objects.filter(pk=self.pk).update(**{own: self.pk})

    def fill_ancestors(self):
        """Copy the province, district and commune above this unit from its parent; a 2025 unit's
        place in the 2025 tree is its own ancestors (and itself). A pre-2025 unit's is set from the
        conversion by units/placement.py (a village inherits its commune's unless assigned)."""
        parent = self.parent
        if parent is None:
            self.province_id = self.district_id = self.commune_id = None
        else:
            self.province_id = parent.pk if parent.level == Level.PROVINCE else parent.province_id
            self.district_id = parent.pk if parent.level == Level.DISTRICT else parent.district_id
            self.commune_id = parent.pk if parent.level == Level.COMMUNE else parent.commune_id
        if self.admin_version == AdminVersion.V2025:
            ids = self.located_ids()
            self.new_province_id, self.new_commune_id = ids["province"], ids["commune"]
        elif parent is not None:  # until units/placement.py places it from the conversion
            self.new_province_id = self.new_province_id or parent.new_province_id
            if self.level == Level.VILLAGE:
                self.new_commune_id = self.new_commune_id or parent.new_commune_id

    def located_ids(self) -> dict[str, int | None]:
        """Province, district and commune ids of this unit, counting the unit itself at its level,
        and its place in the 2025 tree (what audit entries record, so both trees' readers see them)."""
        own = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.COMMUNE: "commune"}.get(
            self.level
        )
        ids = {"province": self.province_id, "district": self.district_id, "commune": self.commune_id}
        if own:
            ids[own] = self.pk
        if self.admin_version == AdminVersion.V2025 and self.pk:
            ids["new_province"], ids["new_commune"] = ids["province"], ids["commune"]
        else:
            ids["new_province"], ids["new_commune"] = self.new_province_id, self.new_commune_id
        return ids

    # --- Where a record is inside a unit (the one rule: every filter by unit reads these) ---------

    @property
    def located_field(self) -> str:
        """The field of a located record (household, assessment, unit) that holds this unit: its
        level in its own tree for a pre-2025 unit; the 2025 placement (new_province, new_commune)
        for a 2025 unit, which also holds the pre-2025 records of the territory that became it.
        Villages are one field in both trees (a village keeps its households through the reform)."""
        name = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.COMMUNE: "commune"}.get(
            self.level, "village"
        )
        if self.admin_version == AdminVersion.V2025 and self.level in (Level.PROVINCE, Level.COMMUNE):
            return f"new_{name}"
        return name

    @property
    def child_field(self) -> str:
        """The located field that names this unit's children: district under a pre-2025 province,
        commune under a 2025 one (two tiers), commune under a district, village under a commune."""
        if self.level == Level.PROVINCE:
            return "district" if self.is_pre2025 else "new_commune"
        return {Level.DISTRICT: "commune", Level.COMMUNE: "village"}[self.level]

    @property
    def below_fields(self) -> list[str]:
        """The located fields under this unit, top down (a locked period's snapshot groups by all)."""
        if self.level == Level.PROVINCE:
            return ["district", "commune", "village"] if self.is_pre2025 else ["new_commune", "village"]
        return {Level.DISTRICT: ["commune", "village"], Level.COMMUNE: ["village"]}.get(self.level, [])

    def within(self, prefix: str = "") -> models.Q:
        """Q selecting the located records inside this unit; `prefix` reaches through a relation."""
        return models.Q(**{f"{prefix}{self.located_field}_id": self.pk})

    def covers(self, obj) -> bool:
        """Whether a located object (household, assessment, unit) lies inside this unit."""
        if isinstance(obj, AdministrativeUnit) and obj.pk == self.pk:
            return True
        if isinstance(obj, AdministrativeUnit) and self.located_field == "village":
            return False
        return getattr(obj, f"{self.located_field}_id", None) == self.pk

    def children_units(self):
        """This unit's children as its reports list them: a 2025 commune's villages include the
        villages of the pre-2025 communes that became it."""
        if self.admin_version == AdminVersion.V2025 and self.level == Level.COMMUNE:
            return AdministrativeUnit.objects.filter(level=Level.VILLAGE, new_commune=self).order_by(
                "admin_version", "code"
            )
        return AdministrativeUnit.objects.filter(parent=self).order_by("code")

    def subtree_units(self):
        """Every unit below this one in its tree (for a 2025 unit: the 2025 units, and the
        villages of pre-2025 communes placed in it)."""
        below = AdministrativeUnit.objects.filter(self.within()).exclude(pk=self.pk)
        if self.is_pre2025:
            return below
        return below.filter(models.Q(admin_version=AdminVersion.V2025) | models.Q(level=Level.VILLAGE))

    def predecessors(self):
        """The pre-2025 units of this 2025 unit's level that became all of it or part of it
        (for the link to their history in the old tree); none for a pre-2025 unit."""
        if self.is_pre2025 or self.level not in (Level.PROVINCE, Level.COMMUNE):
            return AdministrativeUnit.objects.none()
        return AdministrativeUnit.objects.filter(
            self.within(), level=self.level, admin_version=AdminVersion.PRE2025
        ).order_by("code")

    def tree_parent_id(self, admin_version: str) -> int | None:
        """The parent of this unit as the tree of `admin_version` sees it: a pre-2025 village sits
        under its 2025 commune in the 2025 tree."""
        if self.admin_version != admin_version and self.level == Level.VILLAGE:
            return self.new_commune_id
        return self.parent_id

    @property
    def dissolved(self) -> bool:
        """A pre-2025 unit after the reform: it has no figures for periods after its end date."""
        return self.is_pre2025 and self.valid_to is not None

    def get_additional_data(self):
        return self.located_ids()

    @property
    def is_pre2025(self) -> bool:
        return self.admin_version == AdminVersion.PRE2025

    def ancestors(self) -> list["AdministrativeUnit"]:
        """Province first, down to the parent."""
        return [unit for unit in (self.province, self.district, self.commune) if unit and unit.pk != self.pk]


class UnitLineage(models.Model):
    """An old (pre-2025) unit that became all or part of a new (2025) unit, from the official
    conversion table. Many-to-many: 441 old communes were split across several new ones."""

    old = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="successor_links",
        verbose_name=_("đơn vị cũ"),
    )
    new = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="predecessor_links",
        verbose_name=_("đơn vị mới"),
    )
    partial = models.BooleanField(_("nhập một phần"), default=False)

    class Meta:
        verbose_name = _("liên kết sắp xếp đơn vị")
        verbose_name_plural = _("liên kết sắp xếp đơn vị")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="unit_lineage_unique")]

    def __str__(self):
        return f"{self.old} → {self.new}"


class Organisation(models.Model):
    """A body at a unit: the People's Committee, the poverty-reduction department, a mass organisation."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "ubnd", _("Ủy ban nhân dân")
        POVERTY_DEPARTMENT = "poverty_dept", _("Cơ quan phụ trách giảm nghèo")
        WOMENS_UNION = "hlhpn", _("Hội Liên hiệp Phụ nữ")
        FARMERS_UNION = "hnd", _("Hội Nông dân")
        YOUTH_UNION = "doan_tn", _("Đoàn Thanh niên Cộng sản Hồ Chí Minh")
        VETERANS = "hccb", _("Hội Cựu chiến binh")
        FATHERLAND_FRONT = "mttq", _("Ủy ban Mặt trận Tổ quốc Việt Nam")

    MASS_ORGANISATIONS = (
        Kind.WOMENS_UNION,
        Kind.FARMERS_UNION,
        Kind.YOUTH_UNION,
        Kind.VETERANS,
        Kind.FATHERLAND_FRONT,
    )

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại tổ chức"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    parent_agency = models.CharField(
        _("cơ quan chủ quản"),
        max_length=200,
        blank=True,
        help_text=_("Dòng trên của khối tên cơ quan trên văn bản."),
    )
    signer_title = models.CharField(_("chức danh người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    preparer_name = models.CharField(
        _("họ tên người lập biểu"),
        max_length=120,
        blank=True,
        help_text=_(
            "In dưới “Người lập biểu” trên các mẫu của tổ chức khi người tải về không thuộc tổ chức."
        ),
    )
    place_name = models.CharField(
        _("địa danh trên văn bản"), max_length=80, blank=True, help_text=_("Ví dụ: Cam Lộ, Đà Nẵng.")
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["unit__admin_version", "unit__level", "unit__code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="one_organisation_kind_per_unit")
        ]

    def __str__(self):
        return self.name

    def get_additional_data(self):
        return self.unit.located_ids()

    @property
    def is_mass_organisation(self) -> bool:
        return self.kind in self.MASS_ORGANISATIONS


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã")
    COMMUNE_LEADER = "commune_leader", _("Lãnh đạo UBND xã")
    ORG_OFFICER = "org_officer", _("Cán bộ hội, đoàn thể")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ tỉnh")
    ADMINISTRATOR = "administrator", _("Quản trị viên")


class Membership(models.Model):
    """A user's role at a unit, optionally for an organisation there. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("tài khoản"),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("đơn vị"),
        help_text=_("Để trống chỉ cho quản trị viên toàn quốc."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("tổ chức"),
        help_text=_("Bắt buộc với cán bộ hội, đoàn thể: tổ chức của họ ở chính đơn vị này."),
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "organisation", "role"], name="membership_unique"
            ),
            # Only an administrator may hold a membership without a unit (the whole country).
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(role="administrator"),
                name="membership_unit_required_unless_national_admin",
                violation_error_message=_(
                    "Chỉ quản trị viên toàn quốc mới được phân công không gắn với đơn vị. Hãy chọn đơn vị."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit or _('Toàn quốc')}"

    def get_additional_data(self):
        return self.unit.located_ids() if self.unit else {}
