"""Checking a citizen ID (số định danh cá nhân / CCCD) against the member it is recorded for.
Pure: no ORM, no clock. Rules from domain.md §7 (NĐ 137/2015 Art. 13, TT 07/2016/TT-BCA Art. 7):

    digits 1–3   province (or country) where the birth was registered: 001–096
    digit 4      century and sex: 1900s male 0 / female 1, 2000s 2 / 3, 2100s 4 / 5, ...
    digits 5–6   the last two digits of the birth year
    digits 7–12  random

Province codes outside the list of the 63 pre-2025 provinces but inside 001–096 give a warning,
not an error: the codes were not renumbered by the 2025 reform and a newer code is not impossible.

Old 9-digit identity cards (CMND) are accepted only for members born in 2007 or earlier: CMND
were issued from age 14 until 2021, so a younger person never had one. They come with a warning,
since CMND stopped being valid on 31/12/2024 (Law on Identity 2023)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The 63 provinces before 2025, whose codes the citizen ID uses (the 34 provinces of 2025 kept
# one of their predecessors' codes).
PROVINCE_CODES = frozenset(
    {
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
        "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
        "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
        "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
        "089", "091", "092", "093", "094", "095", "096",
    }
)  # fmt: skip

LAST_CMND_BIRTH_YEAR = 2007

MALE = "male"
FEMALE = "female"
_SEX_NAMES = {MALE: gettext_lazy("nam"), FEMALE: gettext_lazy("nữ")}


@dataclass(frozen=True)
class CitizenIdCheck:
    """The cleaned number (digits only), blocking errors and advisory warnings, in the active language."""

    number: str
    errors: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_number(value: str | None) -> str:
    """The number with spaces, dots and dashes removed (people type "001 086 000 123")."""
    if not value:
        return ""
    return "".join(ch for ch in str(value) if ch not in " .-\t")


def century_sex_digit(sex: str, birth_year: int) -> int:
    """The 4th digit a person of this sex born in this year carries."""
    return (birth_year // 100 - 19) * 2 + (1 if sex == FEMALE else 0)


def check_citizen_id(value: str | None, *, sex: str, birth_year: int | None) -> CitizenIdCheck:
    """Check a citizen ID against the member's sex and birth year. An empty value is allowed
    (many records have none yet); the caller decides whether it is required."""
    number = clean_number(value)
    if not number:
        return CitizenIdCheck("")
    if not number.isdigit():
        return CitizenIdCheck(number, errors=(_("Số CCCD/định danh chỉ gồm chữ số."),))
    if len(number) == 9:
        return _check_cmnd(number, birth_year)
    if len(number) != 12:
        return CitizenIdCheck(
            number,
            errors=(
                _("Số định danh cá nhân phải có 12 chữ số (đã nhập %(count)s chữ số).")
                % {"count": len(number)},
            ),
        )

    errors: list[str] = []
    warnings: list[str] = []
    province = number[:3]
    if not "001" <= province <= "096":
        errors.append(
            _("Ba chữ số đầu (%(code)s) phải là mã tỉnh nơi đăng ký khai sinh, từ 001 đến 096.")
            % {"code": province}
        )
    elif province not in PROVINCE_CODES:
        warnings.append(
            _("Mã tỉnh %(code)s ở ba chữ số đầu không có trong danh mục; hãy kiểm tra lại.")
            % {"code": province}
        )

    digit = int(number[3])
    century = 1900 + (digit // 2) * 100
    id_sex = FEMALE if digit % 2 else MALE
    id_year = century + int(number[4:6])
    if sex in _SEX_NAMES and id_sex != sex:
        errors.append(
            _(
                "Chữ số thứ 4 (%(digit)s) là của người %(id_sex)s, nhưng nhân khẩu ghi giới tính "
                "%(sex)s. Hãy kiểm tra lại số CCCD hoặc giới tính."
            )
            % {"digit": digit, "id_sex": _SEX_NAMES[id_sex], "sex": _SEX_NAMES[sex]}
        )
    if birth_year is not None and id_year != birth_year:
        errors.append(
            _(
                "Chữ số thứ 4 đến 6 (%(digits)s) cho năm sinh %(id_year)s, nhưng nhân khẩu ghi năm sinh "
                "%(year)s. Hãy kiểm tra lại số CCCD hoặc năm sinh."
            )
            % {"digits": number[3:6], "id_year": id_year, "year": birth_year}
        )
    return CitizenIdCheck(number, tuple(errors), tuple(warnings))


def _check_cmnd(number: str, birth_year: int | None) -> CitizenIdCheck:
    if birth_year is not None and birth_year > LAST_CMND_BIRTH_YEAR:
        return CitizenIdCheck(
            number,
            errors=(
                _(
                    "Số 9 chữ số là chứng minh nhân dân cũ, không thể có ở người sinh năm %(year)s. "
                    "Hãy nhập số định danh cá nhân 12 chữ số."
                )
                % {"year": birth_year},
            ),
        )
    return CitizenIdCheck(
        number,
        warnings=(_("Số CMND 9 chữ số đã hết giá trị từ 01/01/2025; nên cập nhật số định danh 12 chữ số."),),
    )
