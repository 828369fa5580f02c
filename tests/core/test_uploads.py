"""The upload guard (core/uploads.py) at each of its limits, and the attacks of issue 15 against
it: each refused in Vietnamese, naming the limit, within a bound on the memory it took."""

import dataclasses
import io

import pytest

from core.uploads import (
    UploadLimits,
    UploadRefused,
    check_dimension,
    check_upload_size,
    guarded_xml,
    open_archive,
)
from households.census.xlsx import guard_workbook
from tests import attacks

LIMITS = UploadLimits(
    max_bytes=50 * attacks.MB,
    max_uncompressed=800 * attacks.MB,
    max_entries=200,
    max_rows=1000,
    max_ratio=200,
    max_columns=300,
    max_cell_chars=32767,
)
PEAK = 16 * attacks.MB  # a refusal takes less than this, whatever the file declares


@pytest.mark.parametrize(("size", "refused"), [(50 * attacks.MB, False), (50 * attacks.MB + 1, True)])
def test_upload_size_at_the_limit(size, refused):
    if refused:
        with pytest.raises(UploadRefused, match="tối đa 50 MB"):
            check_upload_size(size, LIMITS)
    else:
        check_upload_size(size, LIMITS)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("A1:KN1000", None),  # column 300, row 1000 + 100 header rows allowed
        ("A1:KO10", "cột thứ 301, vượt giới hạn 300 cột"),
        ("A1:XFD2000", "cột thứ 16.384"),
        ("A1:B1100", None),
        ("A1:B1101", "đến dòng 1.101"),
        ("A1", None),
        ("", None),
    ],
)
def test_declared_dimension_at_the_limits(ref, message):
    if message:
        with pytest.raises(UploadRefused, match=message):
            check_dimension(ref, LIMITS)
    else:
        check_dimension(ref, LIMITS)


@pytest.mark.parametrize(("count", "refused"), [(194, False), (195, True)])  # + 6 parts of the workbook
def test_number_of_entries_read_from_the_end_record(count, refused):
    data = attacks.too_many_entries(count)
    if refused:
        with pytest.raises(UploadRefused, match="quá nhiều thành phần bên trong \\(201, tối đa 200\\)"):
            open_archive(data, LIMITS)
    else:
        assert len(open_archive(data, LIMITS).infolist()) == 200


@pytest.mark.parametrize(("above", "refused"), [(1, False), (0, True)])
def test_compression_ratio_of_an_entry(above, refused):
    data = attacks.zip_bomb(2)
    archive = open_archive(data, dataclasses.replace(LIMITS, max_ratio=10**6))
    entry = next(i for i in archive.infolist() if i.filename.endswith(".bin"))
    limits = dataclasses.replace(LIMITS, max_ratio=int(entry.file_size / entry.compress_size) + above)
    if refused:
        with pytest.raises(UploadRefused, match="image1.bin của tệp nén quá mức"):
            open_archive(data, limits)
    else:
        open_archive(data, limits)


def test_total_uncompressed_size():
    data = attacks.zip_bomb(3)
    with pytest.raises(UploadRefused, match="sau khi giải nén quá lớn \\(4 MB, tối đa 2 MB\\)"):
        open_archive(data, dataclasses.replace(LIMITS, max_uncompressed=2 * attacks.MB, max_ratio=10**6))


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!-- <sst> --><!DOCTYPE sst [<!ENTITY a "b">]><sst>&a;</sst>',
        b"<!DOCTYPE sst><sst/>",
        b'<?xml version="1.0"?><?pi <sst> ?><!DOCTYPE sst SYSTEM "file:///etc/passwd"><sst/>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'.encode("utf-16"),
        b"<!-- only a comment -->",
        b"",
    ],
    ids=["commented root", "bare doctype", "external", "utf-16", "no root", "empty"],
)
def test_the_xml_parser_refuses_a_document_type_declaration(document):
    with pytest.raises(UploadRefused, match="DOCTYPE hoặc ENTITY"):
        guarded_xml(io.BytesIO(document))


def test_a_part_without_declaration_is_given_back_whole():
    document = b'<?xml version="1.0"?><!-- <!DOCTYPE x> --><sst xmlns="a"><si><t>&amp;</t></si></sst>'
    assert guarded_xml(io.BytesIO(document)).read() == document


@pytest.mark.parametrize(
    ("build", "limits", "message"),
    [
        (attacks.dimension_bomb, LIMITS, "cột thứ 16.384, vượt giới hạn 300 cột"),
        (lambda: attacks.huge_cell(200), LIMITS, "nén quá mức"),
        # With the ratio lifted, the cell is refused while it streams, past 32.767 characters.
        (
            lambda: attacks.huge_cell(100),
            dataclasses.replace(LIMITS, max_ratio=10**6),
            "dài hơn 32.767 ký tự",
        ),
        (
            lambda: attacks.huge_shared_string(100),
            dataclasses.replace(LIMITS, max_ratio=10**6),
            "dài hơn 32.767",
        ),
        (lambda: attacks.zip_bomb(100), LIMITS, "nén quá mức"),
        (attacks.entity_bomb, LIMITS, "DOCTYPE hoặc ENTITY"),
    ],
    ids=["A1:XFD2000", "200 MB cell", "100 MB cell streamed", "100 MB shared string", "zip bomb", "entities"],
)
def test_each_attack_is_refused_before_the_parser_allocates(build, limits, message):
    data = build()
    assert len(data) < 1024 * 1024  # small on disk
    outcome, peak = attacks.peak_memory(lambda: guard_workbook(data, limits))
    assert isinstance(outcome, UploadRefused) and message in str(outcome)
    assert peak < PEAK


@pytest.mark.parametrize(("chars", "refused"), [(32767, False), (32768, True)])
def test_cell_size_at_the_limit(chars, refused):
    row = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"é" * chars}</t></is></c></row>'
    data = attacks.workbook(attacks.sheet_xml(row))
    if refused:
        with pytest.raises(UploadRefused, match="32.767"):
            guard_workbook(data, LIMITS)
    else:
        guard_workbook(data, LIMITS)


@pytest.mark.parametrize(("column", "refused"), [("KN", False), ("KO", True)])
def test_cell_column_at_the_limit_without_a_declared_dimension(column, refused):
    data = attacks.workbook(attacks.sheet_xml(f'<row r="1"><c r="{column}1"><v>1</v></c></row>'))
    if refused:
        with pytest.raises(UploadRefused, match="cột thứ 301"):
            guard_workbook(data, LIMITS)
    else:
        guard_workbook(data, LIMITS)


@pytest.mark.parametrize(("row", "refused"), [(1100, False), (1101, True)])
def test_row_number_at_the_limit(row, refused):
    data = attacks.workbook(attacks.sheet_xml(f'<row r="{row}"><c r="A{row}"><v>1</v></c></row>'))
    if refused:
        with pytest.raises(UploadRefused, match="đến dòng 1.101"):
            guard_workbook(data, LIMITS)
    else:
        guard_workbook(data, LIMITS)
