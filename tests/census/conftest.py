import pytest

from tests import factories as f
from units.models import AdminVersion, Area, Kind, Role


@pytest.fixture
def camlo(db):
    """A piece of the real pre-2025 map: Quảng Trị › Cam Lộ › Xã Cam Tuyền, Thị trấn Cam Lộ, and a
    namesake "Cam Thành" in another district, plus an administrator of the province."""
    pre = AdminVersion.PRE2025
    province = f.province(name="Tỉnh Quảng Trị", short_name="Quảng Trị", code="45", admin_version=pre)
    district = f.district(province, name="Huyện Cam Lộ", short_name="Cam Lộ", code="468")
    other_district = f.district(province, name="Huyện Gio Linh", short_name="Gio Linh", code="466")
    town = f.commune(
        district,
        name="Thị trấn Cam Lộ",
        short_name="Cam Lộ",
        code="19597",
        kind=Kind.THI_TRAN,
        area=Area.URBAN,
    )
    tuyen = f.commune(district, name="Xã Cam Tuyền", short_name="Cam Tuyền", code="19600")
    thanh = f.commune(district, name="Xã Cam Thành", short_name="Cam Thành", code="19612")
    namesake = f.commune(other_district, name="Xã Cam Thành", short_name="Cam Thành", code="19555")
    village = f.village(tuyen, name="Thôn An Mỹ", short_name="An Mỹ", kind=Kind.THON, code="19600-001")
    other = f.province(name="Tỉnh Quảng Bình", short_name="Quảng Bình", code="44", admin_version=pre)
    other_d = f.district(other, name="Huyện Lệ Thủy", short_name="Lệ Thủy", code="453")
    foreign = f.commune(other_d, name="Xã Sen Thủy", short_name="Sen Thủy", code="19000")
    admin = f.UserFactory(username="admin_qt")
    f.member_of(admin, province, Role.ADMINISTRATOR)

    class Map:
        pass

    m = Map()
    m.__dict__.update(
        province=province,
        district=district,
        town=town,
        tuyen=tuyen,
        thanh=thanh,
        namesake=namesake,
        village=village,
        other=other,
        foreign=foreign,
        admin=admin,
    )
    return m
