"""Reading ADEME's Base Empreinte CSV export: encodings, French numbers, posts skipped, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from sobrindustrie.engines.footprint.base_empreinte import (
    IDENTIFIER,
    TOTAL,
    UNCERTAINTY,
    BaseEmpreinteImportError,
    parse_export,
    parse_number,
    platform_unit,
)

FIXTURES = Path(__file__).parent / "fixtures"
V23_6 = FIXTURES / "base_empreinte_sample_v23_6.csv"
V23_10 = FIXTURES / "base_empreinte_sample_v23_10.csv"


def _replace_cell(data: bytes, encoding: str, identifier: str, column: str, value: str) -> bytes:
    lines = data.decode(encoding).split("\r\n")
    header = lines[0].lstrip("\ufeff").split(";")
    position = header.index(column)
    for index, line in enumerate(lines[1:], start=1):
        cells = line.split(";")
        if len(cells) > position and cells[1] == identifier and cells[0] == "Elément":
            cells[position] = value
            lines[index] = ";".join(cells)
    return "\r\n".join(lines).encode(encoding)


def test_the_windows_1252_sample_is_read_with_its_french_decimals() -> None:
    export = parse_export(V23_6.read_bytes())
    assert export.encoding == "cp1252"
    by_id = {element.identifier: element for element in export.elements}
    assert len(by_id) == 8
    electricity = by_id["990001"]
    assert electricity.name == "Électricité" and electricity.value == pytest.approx(0.0569)
    assert electricity.uncertainty == pytest.approx(0.10) and electricity.platform_unit == "kWh"
    assert by_id["43256"].label == "TGV" and by_id["43256"].platform_unit == "passenger.km"
    assert by_id["990006"].status == "Archivé" and by_id["990006"].platform_unit == "t.km"
    # The diesel element's two post rows (combustion, upstream) and the source-data row are skipped.
    assert (export.rows, export.skipped_posts, export.skipped_other) == (11, 2, 1)
    assert by_id["990003"].value == pytest.approx(3.10)


def test_the_utf8_sample_with_a_byte_order_mark_is_read() -> None:
    export = parse_export(V23_10.read_bytes())
    assert export.encoding == "utf-8-sig"
    assert {element.identifier for element in export.elements} >= {"43255", "990002"}
    assert next(e for e in export.elements if e.identifier == "990002").value == pytest.approx(0.243)


def test_every_faulty_row_is_named_by_its_line_and_nothing_is_returned() -> None:
    data = V23_6.read_bytes()
    data = _replace_cell(data, "cp1252", "990002", TOTAL, "0,2x7")
    data = _replace_cell(data, "cp1252", "990004", UNCERTAINTY, "-5")
    data = _replace_cell(data, "cp1252", "43740", IDENTIFIER, "43256")
    with pytest.raises(BaseEmpreinteImportError) as caught:
        parse_export(data)
    found = [(error.line, error.column, error.code) for error in caught.value.errors]
    assert found == [
        (3, TOTAL, "not_a_number"),
        (7, UNCERTAINTY, "negative_uncertainty"),
        (9, IDENTIFIER, "duplicate_identifier"),
        (10, IDENTIFIER, "duplicate_identifier"),
    ]
    assert "line 3, column 'Total poste non décomposé': not_a_number" in str(caught.value)


def test_a_missing_column_is_refused_before_any_row() -> None:
    text = V23_6.read_bytes().decode("cp1252").replace("Incertitude", "Incert.", 1)
    with pytest.raises(BaseEmpreinteImportError) as caught:
        parse_export(text.encode("utf-8"))
    (error,) = caught.value.errors
    assert (error.line, error.code, error.params) == (1, "missing_columns", {"columns": "Incertitude"})


def test_an_empty_value_cell_is_refused() -> None:
    data = _replace_cell(V23_6.read_bytes(), "cp1252", "990001", TOTAL, "")
    with pytest.raises(BaseEmpreinteImportError) as caught:
        parse_export(data)
    assert [(e.line, e.column, e.code) for e in caught.value.errors] == [(2, TOTAL, "missing_value")]


def test_a_file_without_any_factor_or_empty_is_refused() -> None:
    header = V23_6.read_bytes().split(b"\r\n")[0]
    with pytest.raises(BaseEmpreinteImportError) as caught:
        parse_export(header + b"\r\n")
    assert caught.value.errors[0].code == "no_factor"
    with pytest.raises(BaseEmpreinteImportError) as caught:
        parse_export(b"")
    assert caught.value.errors[0].code == "empty"


@pytest.mark.parametrize(
    ("text", "value"),
    [("0,0569", 0.0569), ("1\u00a0234,5", 1234.5), (" 3,10 ", 3.1), ("", None), ("12", 12.0)],
)
def test_french_numbers(text: str, value: float | None) -> None:
    assert parse_number(text) == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "nan", "inf"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("kgCO2e/kWh", "kWh"),
        ("kgCO2e/kWh PCI", "kWh"),
        ("kgCO2e/litre", "L"),
        ("kgCO2e/tonne.km", "t.km"),
        ("kgCO2e/passager.km", "passenger.km"),
        ("kgCO2e/m²", None),
        ("kWh", None),
    ],
)
def test_units_mapped_to_the_platform_spelling(unit: str, expected: str | None) -> None:
    assert platform_unit(unit) == expected


def test_line_numbers_count_the_lines_of_a_quoted_cell_spanning_several() -> None:
    text = V23_6.read_bytes().decode("cp1252")
    lines = text.split("\r\n")
    # A comment over two lines in the electricity element (line 2), then a bad total on line 3 → 4.
    lines[1] = lines[1].replace(
        "Electricité > France continentale", '"Electricité >\r\nFrance continentale"', 1
    )
    lines[2] = lines[2].replace(";0,227;", ";x;", 1)
    with pytest.raises(BaseEmpreinteImportError) as caught:
        parse_export("\r\n".join(lines).encode("cp1252"))
    assert [(error.line, error.code) for error in caught.value.errors] == [(4, "not_a_number")]
