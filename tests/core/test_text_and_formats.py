"""Vietnamese names, durations and elapsed seconds as people read them."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from core.formatting import fmt_duration, fmt_seconds
from core.text import display_name, search_key


def _user(first, last, username="hoa"):
    return SimpleNamespace(first_name=first, last_name=last, get_username=lambda: username)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Hoa", "Lê Thị", "Lê Thị Hoa"),
        ("Tuấn", "Võ Minh", "Võ Minh Tuấn"),
        ("Hoa", "", "Hoa"),
        ("", "Lê", "Lê"),
        ("  Hoa ", " Lê Thị ", "Lê Thị Hoa"),
        ("", "", "hoa"),  # no name: the username
    ],
)
def test_display_name_puts_the_family_name_first(first, last, expected):
    assert display_name(_user(first, last)) == expected


def test_display_name_of_nobody_is_empty():
    assert display_name(None) == ""


def test_display_name_filter_is_a_builtin():
    html = Template("{{ user|display_name }}").render(Context({"user": _user("Hoa", "Lê Thị")}))
    assert html == "Lê Thị Hoa"


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(minutes=15), "15 phút"),
        (timedelta(minutes=90), "1 giờ 30 phút"),
        (timedelta(hours=2), "2 giờ"),
        (timedelta(days=1, minutes=5), "1 ngày 5 phút"),
        (timedelta(seconds=61), "2 phút"),  # a wait is rounded up, never understated
        (timedelta(seconds=1), "1 phút"),
        (timedelta(0), "0 phút"),
    ],
)
def test_durations_in_words(delta, expected):
    assert fmt_duration(delta) == expected
    assert Template("{{ d|vn_duration }}").render(Context({"d": delta})) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(1.24, "1,2 giây"), (0.05, "0,1 giây"), (12.0, "12,0 giây"), (1234.56, "1.234,6 giây")],
)
def test_elapsed_seconds_use_the_decimal_comma(seconds, expected):
    assert fmt_seconds(seconds) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Cam Lộ", "cam lo"),
        ("ĐÀ NẴNG", "da nang"),
        ("  Thị   trấn\tCam Lộ ", "thi tran cam lo"),
        ("", ""),
        (None, ""),
    ],
)
def test_search_key_drops_diacritics_case_and_extra_spaces(text, key):
    assert search_key(text) == key


def test_search_key_treats_composed_and_decomposed_text_alike():
    import unicodedata

    assert search_key(unicodedata.normalize("NFD", "Cam Lộ")) == search_key(
        unicodedata.normalize("NFC", "Cam Lộ")
    )
