"""English, switchable from every page: the catalogue is complete, keeps every placeholder and
tag, is compiled into the committed django.mo; the footer's switch turns the pages, the navigation
and the figures English and back; documents (reports, target tables) stay Vietnamese by design."""

import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from gettext import GNUTranslations

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.formatting import fmt_decimal, fmt_duration, fmt_int, fmt_money, fmt_percent
from core.models import Job
from households.classification import CLASS_LABELS, POOR
from households.models import Assessment
from targets import services as target_services
from tests.catalogue import MO, PLACEHOLDER, PO, ROOT, TAG, VIETNAMESE, pofile
from tests.households import factories as hf
from tests.households.scope_cases import MEMBER_POST, assessment_post


@pytest.fixture(scope="module")
def entries():
    return list(pofile.messages(PO).values())


# --- The catalogue -------------------------------------------------------------------------------


def test_the_catalogue_is_english_with_two_plural_forms():
    header = next(e for e in pofile.read(PO) if e.msgid == "")
    assert "Language: en\n" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr
    assert "fuzzy" not in header.flags


def test_every_message_is_translated_and_none_is_fuzzy_or_obsolete(entries):
    assert len(entries) > 1000  # the whole UI, not a sample
    untranslated = [str(e) for e in entries if not e.translated]
    assert not untranslated, "\n".join(untranslated)
    assert not [e for e in pofile.read(PO) if e.obsolete], "run `make messages` (--no-obsolete)"
    plural = [e for e in entries if e.msgid_plural is not None]
    assert plural and all(len(e.msgstr_plural) == 2 for e in plural)


def test_translations_keep_every_placeholder_and_html_tag(entries):
    wrong = []
    for entry in entries:
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for source, translation_ in zip(sources, entry.translations, strict=True):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation_)):
                wrong.append(f"placeholders: {entry} → {translation_!r}")
            if sorted(TAG.findall(source)) != sorted(TAG.findall(translation_)):
                wrong.append(f"HTML: {entry} → {translation_!r}")
    assert not wrong, "\n".join(wrong)


def test_no_message_is_left_in_vietnamese(entries):
    """A translation equal to its msgid is only right for text with no Vietnamese in it ("—")."""
    copied = [str(e) for e in entries if e.msgstr == e.msgid and VIETNAMESE.search(e.msgid)]
    assert not copied, "\n".join(copied)


def test_the_domain_words_are_translated_consistently(entries):
    by_msgid = {e.msgid: e.msgstr for e in entries}
    assert by_msgid["Hộ nghèo"] == "Poor household"
    assert by_msgid["Hộ cận nghèo"] == "Near-poor household"
    assert by_msgid["Hộ có mức sống trung bình"] == "Medium-living-standard household"
    assert by_msgid["Thoát nghèo"] == "Escaped poverty"
    assert by_msgid["Tái nghèo"] == "Fell back into poverty"
    assert by_msgid["Rà soát định kỳ (hằng năm)"] == "Periodic review (annual)"
    assert by_msgid["Hội Liên hiệp Phụ nữ"] == "Women's Union"
    assert by_msgid["Cán bộ xã"] == "Commune officer"
    assert by_msgid["Mẫu 01 – Bảng đăng ký"].startswith("Form 01")


def test_the_committed_mo_is_compiled_from_the_po(entries):
    """django.mo (what Django reads) says exactly what django.po says: no machine needs msgfmt."""
    with MO.open("rb") as file:
        compiled = GNUTranslations(file)
    expected = {}
    for entry in entries:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr
        else:
            expected.update({(key, n): text for n, text in entry.msgstr_plural.items()})
    catalog = {key: value for key, value in compiled._catalog.items() if key != ""}
    assert catalog == expected


def test_django_reads_the_catalogue():
    with translation.override("en"):
        assert translation.gettext("Hộ nghèo") == "Poor household"
        assert translation.ngettext("%(n)d phút", "%(n)d phút", 2) % {"n": 2} == "2 minutes"
    with translation.override("vi"):
        assert translation.gettext("Hộ nghèo") == "Hộ nghèo"


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("REQUIRE_GETTEXT"),
    reason="GNU gettext (xgettext) is not installed; CI installs it (.ci/run)",
)
def test_every_text_of_the_code_is_in_the_catalogue():
    """scripts/check-messages: what `make messages` would collect is already in django.po, and
    nothing in django.po is left over from text the code no longer has."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check-messages")], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr


# --- Figures -------------------------------------------------------------------------------------


def test_figures_follow_the_language_being_read():
    with translation.override("en"):
        assert (fmt_int(1458), fmt_decimal(6.789), fmt_percent(6.79), fmt_money(1500000)) == (
            "1,458",
            "6.79",
            "6.79%",
            "1,500,000 đ",
        )
        assert fmt_duration(timedelta(minutes=61)) == "1 hour 1 minute"
        assert fmt_duration(timedelta(days=2)) == "2 days"
        html = Template("{{ n|vn_int }} {{ r|vn_pct }} {{ m|vn_money }} {{ n }} {{ d|vn_date }}").render(
            Context({"n": 1458, "r": 6.79, "m": 1500000, "d": date(2017, 1, 24)})
        )
        assert html == "1,458 6.79% 1,500,000 đ 1,458 24/01/2017"  # dates stay day-first
    with translation.override("vi"):
        assert (fmt_int(1458), fmt_percent(6.79), fmt_duration(timedelta(minutes=61))) == (
            "1.458",
            "6,79%",
            "1 giờ 1 phút",
        )
    # Text kept on records asks for Vietnamese figures whatever the page's language.
    with translation.override("en"):
        assert fmt_int(1500000, lang="vi") == "1.500.000"


def test_classification_reasons_stay_vietnamese_and_the_label_is_translated(world):
    household = hf.household(world.officer_a, world.A)
    client = _english(world.client_for(world.officer_a))
    page = client.post(
        reverse("households:assessment_preview", args=[household.pk]),
        {**assessment_post(world), "indicator_standard": "nd07-2021"},
    ).content.decode()
    assert 'data-classification="poor">Poor household' in page
    # The reasons are kept on the assessment as written: in Vietnamese, with Vietnamese figures.
    assert "1.000.000 đ/người/tháng" in page
    assert CLASS_LABELS[POOR] == "Hộ nghèo"  # import files and audit entries keep the Vietnamese


# --- The switch and the pages --------------------------------------------------------------------


def _switch(client: Client, language: str, next_url: str = "/") -> None:
    """The footer's form: POST to set_language, as a person does."""
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302 and response.url == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def _english(client: Client) -> Client:
    _switch(client, "en")
    return client


def test_the_switch_turns_the_home_page_and_the_navigation_english_and_back(world):
    household = hf.household(world.officer_a, world.A)
    hf.assessment(household, world.officer_a, state=Assessment.State.APPROVED, leader=world.leader_a)
    client = world.client_for(world.officer_a)
    page = client.get("/").content.decode()
    assert '<html lang="vi">' in page and "Đăng xuất" in page

    _switch(client, "en")
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    for english in ("Households", "Reports", "Log out", "Change password", "Household review", "Language"):
        assert english in page, english
    for vietnamese in ("Hộ gia đình", "Báo cáo", "Đăng xuất", "Đổi mật khẩu", "Rà soát hộ", "Ngôn ngữ"):
        assert vietnamese not in page, vietnamese
    assert '<option value="en" selected>English</option>' in page
    assert "<strong>1</strong> household<" in page  # a count with its plural form

    _switch(client, "vi")
    page = client.get("/").content.decode()
    assert "Đăng xuất" in page and "Log out" not in page


def test_an_english_request_leaves_the_thread_in_vietnamese(world):
    """The language is a thread's state: what runs after an English page speaks Vietnamese again."""
    client = _english(world.client_for(world.officer_a))
    assert client.get("/").wsgi_request.LANGUAGE_CODE == "en"
    assert translation.get_language() == "vi"
    assert fmt_duration(timedelta(minutes=15)) == "15 phút"


def test_the_household_list_in_english(world):
    for n in range(3):
        hf.household(world.officer_a, world.A, village=world.A1, head=f"Nguyễn Văn {n}")
    client = _english(world.client_for(world.officer_a))
    page = client.get(reverse("households:unit_list", args=[world.A.pk])).content.decode()
    for english in ("Export to Excel", "Household code", "Household head", "Clear filters", "Showing 3 of 3"):
        assert english in page, english
    for vietnamese in ("Xuất Excel", "Mã hộ", "Bỏ lọc", "Đang xem"):
        assert vietnamese not in page, vietnamese
    assert "Nguyễn Văn 0" in page  # data stays as it was written


def test_the_login_page_in_english_for_someone_not_logged_in(db):
    client = Client()
    _switch(client, "en", "/accounts/login/")
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page and "Forgot your password?" in page
    assert "Đăng nhập" not in page and "Quên mật khẩu" not in page
    wrong = client.post(reverse("login"), {"username": "nobody-here", "password": "wrong"}).content.decode()
    assert "The username or password is incorrect" in wrong


def test_form_errors_and_messages_in_english(world):
    client = _english(world.client_for(world.officer_a))
    data = {**MEMBER_POST, "members-INITIAL_FORMS": "0", "members-0-citizen_id": "045185000123"}
    data["labour"] = "has_labour"
    page = client.post(reverse("households:create", args=[world.A.pk]), data).content.decode()
    assert "The 4th digit (1) belongs to a female person" in page
    data["members-0-citizen_id"] = "045080000123"
    response = client.post(reverse("households:create", args=[world.A.pk]), data, follow=True)
    assert "Household 90001-00-0001 added." in response.content.decode()


def test_a_report_is_previewed_in_vietnamese_inside_an_english_page(world):
    url = f"{reverse('reports:preview', args=['quarterly', world.P.pk])}?year=2025&quarter=1"
    page = _english(world.client_for(world.province_officer)).get(url).text
    assert "Download PDF" in page and "Quarterly consolidated report" in page  # the page
    assert 'data-testid="document-language-note"' in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Tổng số hộ" in page  # the document
    assert "Biểu 1. Hộ nghèo, hộ cận nghèo đến ngày 31/03/2025" in page
    assert "Total households" not in page and "Table 1." not in page
    assert (
        'data-testid="document-language-note"' not in world.client_for(world.province_officer).get(url).text
    )


def test_a_target_table_is_shown_in_vietnamese_inside_an_english_page(world):
    target = target_services.target_create(
        unit=world.P,
        year=2026,
        reduce_poor=10,
        reduce_near_poor=4,
        assessments=Assessment.objects.all(),
        user=world.province_officer,
    )
    client = _english(world.client_for(world.province_officer))
    for url in (
        reverse("targets:table", args=[target.pk]),
        reverse("targets:union_table", args=[target.pk]) + "?org=hnd",  # "Số hộ nghèo", not "Số hộ PNN"
    ):
        page = client.get(url).text
        assert "Poverty reduction targets 2026" in page  # the page's title and breadcrumbs
        assert 'data-testid="document-language-note"' in page
        assert "Đơn vị" in page and "Unit</th>" not in page, url  # the table
    assert "Số hộ nghèo" in page and "Poor households" not in page


def test_a_report_jobs_progress_is_shown_in_the_readers_language(world):
    job = Job.objects.create(
        owner=world.officer_a, kind=Job.Kind.REPORT, title="mau02", message="Đang dàn trang", progress_total=3
    )
    client = world.client_for(world.officer_a)
    assert "Đang dàn trang" in client.get(reverse("jobs:detail", args=[job.pk])).text
    assert "Laying out the pages" in _english(client).get(reverse("jobs:detail", args=[job.pk])).text


def test_a_registration_in_english(world):
    client = _english(world.client_for(world.union_officer_p))
    page = client.get(reverse("targets:registration_list")).text
    assert "Households registered for help out of poverty" in page
    assert "Hộ đăng ký giúp thoát nghèo" not in page
