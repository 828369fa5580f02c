"""Demo organisations and one demo user per role, on the real units (load_units first).

The users and their password are listed in the README; `manage.py demo_accounts` prints them."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import AdministrativeUnit, AdminVersion, Organisation, Role
from .services import membership_grant, organisation_ensure

DEMO_PASSWORD = "GiamNgheo@2026"

# (username, full name, role, (version, unit code), organisation kind or None, what they do)
DEMO_USERS = [
    (
        "canbo.camtuyen",
        "Lê Thị Hoa",
        Role.COMMUNE_OFFICER,
        (AdminVersion.PRE2025, "19600"),
        None,
        "Cán bộ xã Cam Tuyền (huyện Cam Lộ, trước 2025): rà soát hộ",
    ),
    (
        "lanhdao.camtuyen",
        "Nguyễn Văn Bình",
        Role.COMMUNE_LEADER,
        (AdminVersion.PRE2025, "19600"),
        None,
        "Lãnh đạo UBND xã Cam Tuyền: duyệt phiếu, xác nhận kết quả",
    ),
    (
        "canbo.camlo",
        "Trần Thị Mai",
        Role.COMMUNE_OFFICER,
        (AdminVersion.V2025, "19597"),
        None,
        "Cán bộ xã Cam Lộ (từ 2025, tỉnh Quảng Trị mới): rà soát 2025–2026",
    ),
    (
        "lanhdao.camlo",
        "Hoàng Văn Sơn",
        Role.COMMUNE_LEADER,
        (AdminVersion.V2025, "19597"),
        None,
        "Lãnh đạo UBND xã Cam Lộ (từ 2025): duyệt phiếu",
    ),
    (
        "hoiphunu.camlo",
        "Phan Thị Lan",
        Role.ORG_OFFICER,
        (AdminVersion.PRE2025, "468"),
        Organisation.Kind.WOMENS_UNION,
        "Hội LHPN huyện Cam Lộ: đăng ký, giúp đỡ hộ thoát nghèo",
    ),
    (
        "hoiphunu.danang",
        "Trần Thị Thu",
        Role.ORG_OFFICER,
        (AdminVersion.PRE2025, "48"),
        Organisation.Kind.WOMENS_UNION,
        "Hội LHPN thành phố Đà Nẵng (trước 2025): chỉ tiêu PNN, PNCN, mẫu 01–03",
    ),
    (
        "tinh.quangtri",
        "Võ Minh Tuấn",
        Role.PROVINCE_OFFICER,
        (AdminVersion.V2025, "44"),
        None,
        "Cán bộ tỉnh Quảng Trị (mới, gồm Quảng Trị và Quảng Bình cũ): chỉ tiêu, báo cáo",
    ),
    (
        "tinh.danang",
        "Đặng Thị Hạnh",
        Role.PROVINCE_OFFICER,
        (AdminVersion.V2025, "48"),
        None,
        "Cán bộ thành phố Đà Nẵng (mới, gồm Đà Nẵng và Quảng Nam cũ): chỉ tiêu, báo cáo",
    ),
    (
        "quantri",
        "Quản trị hệ thống",
        Role.ADMINISTRATOR,
        None,
        None,
        "Quản trị toàn quốc: nạp đơn vị, nhập dữ liệu rà soát, người dùng, chuẩn nghèo",
    ),
]

# Organisations the demo needs, with their signature blocks (configurable per organisation).
DEMO_ORGANISATIONS = [
    (
        (AdminVersion.PRE2025, "468"),
        Organisation.Kind.PEOPLES_COMMITTEE,
        {
            "name": "Ủy ban nhân dân huyện Cam Lộ",
            "parent_agency": "",
            "signer_title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
            "signer_name": "Trần Anh Tuấn",
            "place_name": "Cam Lộ",
        },
    ),
    (
        (AdminVersion.PRE2025, "468"),
        Organisation.Kind.WOMENS_UNION,
        {
            "name": "Hội Liên hiệp Phụ nữ huyện Cam Lộ",
            "short_name": "Hội LHPN huyện Cam Lộ",
            "parent_agency": "HỘI LHPN TỈNH QUẢNG TRỊ",
            "signer_title": "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
            "place_name": "Cam Lộ",
        },
    ),
    (
        (AdminVersion.PRE2025, "48"),
        Organisation.Kind.WOMENS_UNION,
        {
            "name": "Hội Liên hiệp Phụ nữ thành phố Đà Nẵng",
            "short_name": "Hội LHPN TP Đà Nẵng",
            "parent_agency": "HỘI LHPN VIỆT NAM",
            "signer_title": "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
            "signer_name": "Trần Thị Thu Hạnh",
            "place_name": "Đà Nẵng",
        },
    ),
    (
        (AdminVersion.PRE2025, "48"),
        Organisation.Kind.PEOPLES_COMMITTEE,
        {
            "name": "Ủy ban nhân dân thành phố Đà Nẵng",
            "signer_title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
            "place_name": "Đà Nẵng",
        },
    ),
    (
        (AdminVersion.V2025, "44"),
        Organisation.Kind.POVERTY_DEPARTMENT,
        {"parent_agency": "UBND TỈNH QUẢNG TRỊ", "signer_title": "GIÁM ĐỐC", "place_name": "Quảng Trị"},
    ),
    (
        (AdminVersion.V2025, "48"),
        Organisation.Kind.POVERTY_DEPARTMENT,
        {"parent_agency": "UBND THÀNH PHỐ ĐÀ NẴNG", "signer_title": "GIÁM ĐỐC", "place_name": "Đà Nẵng"},
    ),
]


def unit(key) -> AdministrativeUnit:
    version, code = key
    return AdministrativeUnit.objects.by_code(code, version)


@transaction.atomic
def load() -> dict:
    User = get_user_model()
    for key, kind, fields in DEMO_ORGANISATIONS:
        organisation = organisation_ensure(unit=unit(key), kind=kind, **fields)
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.save()
    created = 0
    for username, full_name, role, unit_key, org_kind, _what in DEMO_USERS:
        last, _, first = full_name.rpartition(" ")
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        target = unit(unit_key) if unit_key else None
        organisation = organisation_ensure(unit=target, kind=org_kind) if org_kind else None
        membership_grant(user=user, unit=target, role=role, organisation=organisation)
    return {"users": len(DEMO_USERS), "users_created": created, "organisations": Organisation.objects.count()}
