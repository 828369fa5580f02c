import pytest

from core.xlsx import cell_value, neutralise


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_ordinary_values_are_kept():
    assert neutralise("Nguyễn Thị A") == "Nguyễn Thị A"
    assert cell_value(1458) == 1458
    assert cell_value(6.79) == 6.79
    assert cell_value("=1+1") == "'=1+1"
