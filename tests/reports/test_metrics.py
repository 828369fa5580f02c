"""The lean PDF body relies on measuring text exactly as WeasyPrint (Pango) lays it out."""

import pytest

from reports.render import metrics


def test_the_font_has_2048_units_per_em_as_the_fixed_spaces_assume():
    assert metrics.units_per_em() == 2048
    for char, units in metrics.FIXED_SPACES.items():
        assert metrics.text_units(char) == units


@pytest.mark.parametrize("width_units", [0, 1, 85, 86, 171, 1000, 2047, 2048, 2049, 10_000, 45_678.4])
def test_gaps_are_filled_to_within_half_a_hair_space(width_units):
    spaces, units = metrics.gap(width_units)
    assert set(spaces) <= set(metrics.FIXED_SPACES)
    assert metrics.text_units(spaces) == units
    assert abs(units - width_units) <= 171 / 2 + 0.5


def test_wrap_keeps_every_word_and_fits_the_width():
    text = "Chồng mất, một mình nuôi 2 con nhỏ đang đi học; nhà tạm, thiếu đất sản xuất."
    lines = metrics.wrap(text, 80, 11)
    assert " ".join(lines) == text
    assert all(metrics.text_width(line, 11) <= 80 for line in lines)
    assert len(lines) > 1


def test_wrap_cuts_a_word_longer_than_the_line_and_keeps_line_breaks():
    lines = metrics.wrap("MÃHỘ-19600-001-0000000001\nThôn 1", 40, 11)
    assert "".join(lines[:-1]) == "MÃHỘ-19600-001-0000000001"
    assert lines[-1] == "Thôn 1"
    assert all(metrics.text_width(line, 11) <= 40 for line in lines)


def test_decomposed_vietnamese_is_measured_as_precomposed():
    import unicodedata

    composed = "Nguyễn Thị Hạnh"
    decomposed = unicodedata.normalize("NFD", composed)
    assert metrics.wrap(decomposed, 500, 11) == [composed]


def test_measured_widths_match_weasyprint_layout():
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from reports.render.pdf import _font_config, _stylesheet

    samples = ["Nguyễn Thị Hoa", "Chồng mất, nuôi 2 con nhỏ, không có đất sản xuất", "1.458 6,79"]
    html = "".join(f"<p style='white-space:pre;font-size:11pt'>{s}</p>" for s in samples)
    document = HTML(string=html).render(stylesheets=[_stylesheet()], font_config=_font_config())
    widths = [
        box.width * 0.75
        for box in document.pages[0]._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    ]
    for sample, measured in zip(samples, widths, strict=True):
        assert metrics.text_width(sample, 11) == pytest.approx(measured, abs=0.05), sample
