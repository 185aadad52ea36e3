"""Checks on a report's narrative before it is submitted: plain Python, codes and parameters.

The consultant writes the successes, difficulties and solutions of a report; the platform counts the
diagnostics, teams, plans and funding applications. Before the report goes to ADEME these checks
find what a reader would stumble on:

- `empty_section`: a narrative section the report asks for is empty;
- `placeholder`: a sentence left as a placeholder ("à compléter", "TODO", "Lorem", "xxx", or a
  note the generator writes in place of missing text);
- `no_copil`, `copil_not_held`, `copil_before_period_end`: the COPIL that validated the synthesis
  is missing, was not held, or was held before the period's last month (it cannot have validated an
  account of a period that had weeks to run);
- `count_contradiction`: the text states a count ("les quinze diagnostics ont été réalisés",
  "12 diagnostics sur 15", "cinq équipes projet") that differs from the count in the data.

Each finding has a `key` that identifies it with what it is about (the field, the stated and the
counted figures): an acknowledgement is given for a key, so it lapses when the text or the data
change. The web and document layers word the findings through gettext.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SUBJECTS = ("diagnostics", "teams", "plans", "applications")

#: A COPIL held at most this many days before the period's end may validate its synthesis.
COPIL_GRACE_DAYS = 31

_UNITS = {
    "zero": 0, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "cent": 100, "cents": 100, "un": 1, "une": 1,
}  # fmt: skip

# Words that may stand between a number and what it counts ("les quinze premiers diagnostics").
_ADJECTIVES = (
    "premiers|premieres|premier|premiere|nouveaux|nouvelles|nouveau|nouvelle|autres|derniers|"
    "dernieres|grands|grandes|petits|petites|seuls|seules|memes"
)
_NUMBER_WORD = r"(?:\d+|[a-z]+(?:-[a-z]+)*)"
# What is counted, on accent-free lower-case text.
_NOUNS: dict[str, str] = {
    "diagnostics": r"diagnostics?\b|(?:pme|laureats?|entreprises?|societes?) diagnostiquee?s?\b",
    "teams": r"equipes?\b",
    "plans": r"plans? d'actions?\b",
    "applications": (
        r"(?:dossiers?|demandes?|candidatures?)(?: de| d')\s?(?:financements?|aides?|subventions?)\b"
    ),
}
_ALL = r"(?:tous les|toutes les|l'ensemble des|la totalite des)"
# The rest of a sentence saying the count is planned, not done: such a statement is not checked.
_NOT_DONE = re.compile(
    r"\b(?:seront|sera|prevue?s?|planifiee?s?|a realiser|a venir|restent|reste a|en cours de|envisagee?s?|"
    r"vise|visent|objectif|cible)\b"
)
_QUALIFIERS: dict[str, dict[str, re.Pattern[str]]] = {
    "plans": {"adopted": re.compile(r"\badoptee?s?\b|\bvalidee?s?\b")},
    "applications": {
        "granted": re.compile(r"\b(?:accordee?s?|obtenue?s?|acceptee?s?|laureate?s?)\b"),
        "filed": re.compile(r"\b(?:deposee?s?|deposant|soumise?s?|transmise?s?|envoyee?s?)\b"),
    },
}

_PLACEHOLDERS = [
    r"\ba completer\b",
    r"\ba rediger\b",
    r"\ba preciser\b",
    r"\ba remplir\b",
    r"\bpas encore redige",
    r"\bnon redigee?s?\b",
    r"\bn'(?:ont|a) pas ete redigee?s?\b",
    r"\btodo\b",
    r"\btbd\b",
    r"\bfixme\b",
    r"\blorem\b",
    r"\bipsum\b",
    r"\bx{3,}\b",
    r"\?{3,}",
    r"\[\s*(?:\.\.\.|…)\s*\]",
]


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made straight, one character for one: an
    index in the folded text is the same index in the original."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)[0].lower()
        out.append("'" if base in "’ʼ" else base if len(base) == 1 else char)
    return "".join(out)


def parse_number(word: str) -> int | None:
    """A count written in digits or in French words ("quinze", "vingt-deux", "quatre-vingts"); None
    for anything else, and for "un"/"une", which are more often articles than counts."""
    if word.isdigit():
        return int(word)
    parts = [part for part in fold(word).split("-") if part != "et"]
    if not parts or any(part not in _UNITS for part in parts) or parts in (["un"], ["une"]):
        return None
    total = 0
    for index, part in enumerate(parts):
        value = _UNITS[part]
        if value == 100:
            total = max(total, 1) * 100
        elif value == 20 and index and parts[index - 1] == "quatre":
            total += 80 - 4
        elif value == 10 and index and parts[index - 1] == "soixante":
            total += 10
        else:
            total += value
    return total


@dataclass(frozen=True)
class Statement:
    """A count stated in a text: `count` things (None: "all of them"), out of `of` when said."""

    subject: str
    count: int | None
    of: int | None
    qualifier: str  # "" or e.g. "adopted" (plans), "granted" / "filed" (applications)
    excerpt: str  # the sentence's words that state it, as written


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at full stops, semicolons and line ends (not at colons:
    "Objectif : cinq équipes" is one statement)."""
    spans, start = [], 0
    for match in re.finditer(r"[.;!?]+(?:\s+|$)|\n\s*", text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _qualifier(subject: str, sentence: str) -> str:
    for name, pattern in _QUALIFIERS.get(subject, {}).items():
        if pattern.search(sentence):
            return name
    return ""


def count_statements(text: str) -> list[Statement]:
    """Every count of diagnostics, teams, plans or funding applications the text states as done.

    Recognised: "les quinze diagnostics ont été réalisés", "12 des 15 diagnostics", "douze
    diagnostics sur quinze", "sur les 15 diagnostics, 12 sont terminés", "cinq équipes projet",
    "tous les diagnostics", "trois dossiers de financement déposés", "4 plans d'action adoptés".
    Not counted: what is planned ("15 diagnostics seront réalisés", "objectif : 5 équipes").
    """
    folded = fold(text)
    found: list[Statement] = []
    for start, end in _sentences(folded):
        sentence = folded[start:end]
        taken: list[tuple[int, int]] = []
        for subject, noun in _NOUNS.items():
            patterns = [
                # sur les 15 diagnostics, 12 ...
                rf"\bsur (?:les )?(?P<of>{_NUMBER_WORD}) (?:(?:{_ADJECTIVES}) )?(?:{noun})[^,]*, "
                rf"(?P<count>{_NUMBER_WORD})\b",
                # 12 des 15 diagnostics / douze parmi les quinze diagnostics
                rf"\b(?P<count>{_NUMBER_WORD}) (?:des|sur|parmi les|d'entre les) (?P<of>{_NUMBER_WORD}) "
                rf"(?:(?:{_ADJECTIVES}) ){{0,2}}(?:{noun})",
                # 12 diagnostics sur 15 / les quinze diagnostics / cinq nouvelles équipes
                rf"\b(?P<count>{_NUMBER_WORD}) (?:(?:{_ADJECTIVES}) ){{0,2}}(?:{noun})"
                rf"(?: \w+){{0,3}}? sur (?P<of>{_NUMBER_WORD})\b",
                rf"\b(?P<count>{_NUMBER_WORD}) (?:(?:{_ADJECTIVES}) ){{0,2}}(?:{noun})",
                rf"\b(?P<all>{_ALL}) (?:(?:{_ADJECTIVES}) ){{0,2}}(?:{noun})",
            ]
            for pattern in patterns:
                for match in re.finditer(pattern, sentence):
                    span = (start + match.start(), start + match.end())
                    if any(a < span[1] and span[0] < b for a, b in taken):
                        continue
                    groups = match.groupdict()
                    count = None if groups.get("all") else parse_number(groups["count"])
                    of = parse_number(groups["of"]) if groups.get("of") else None
                    if count is None and not groups.get("all"):
                        continue
                    if groups.get("of") and of is None:
                        continue
                    rest = sentence[match.end() :]
                    if _NOT_DONE.search(sentence[: match.start()][-30:] + " " + rest):
                        continue
                    taken.append(span)
                    found.append(
                        Statement(
                            subject,
                            count,
                            of,
                            _qualifier(subject, sentence),
                            text[span[0] : span[1]].strip(),
                        )
                    )
    return found


# --- The checks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str
    key: str
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Counted:
    """What the data counts for a subject (and qualifier), and the whole it is part of, if any."""

    count: int
    total: int | None = None


@dataclass(frozen=True)
class Copil:
    pk: int
    title: str
    held_on: dt.date
    held: bool


@dataclass(frozen=True)
class NarrativeFacts:
    #: The narrative sections the report asks for, by field name; empty text for an empty one.
    sections: Mapping[str, str]
    #: Texts searched for placeholders only (e.g. the generated document's paragraphs), by source.
    documents: Mapping[str, str] = field(default_factory=dict)
    #: Sentences the generator writes in place of missing text (in the document's language).
    generated_placeholders: Sequence[str] = ()
    #: (subject, qualifier) -> the data's count; (subject, "") is used when no qualifier matches.
    counted: Mapping[tuple[str, str], Counted] = field(default_factory=dict)
    wants_copil: bool = False
    copil: Copil | None = None
    period_end: dt.date | None = None


def _placeholders(source: str, text: str, extra: Sequence[str]) -> list[Finding]:
    folded = fold(text)
    patterns = [*_PLACEHOLDERS, *(re.escape(fold(phrase).strip().rstrip(".")) for phrase in extra if phrase)]
    findings, seen = [], set()
    for start, end in _sentences(folded):
        sentence = folded[start:end]
        if any(re.search(pattern, sentence) for pattern in patterns):
            excerpt = " ".join(text[start:end].split())
            key = f"placeholder:{source}:{fold(excerpt)[:80]}"
            if key not in seen:
                seen.add(key)
                findings.append(Finding("placeholder", key, {"field": source, "excerpt": excerpt[:200]}))
    return findings


def _contradictions(source: str, text: str, counted: Mapping[tuple[str, str], Counted]) -> list[Finding]:
    findings = []
    for statement in count_statements(text):
        data = counted.get((statement.subject, statement.qualifier)) or counted.get((statement.subject, ""))
        if data is None:
            continue
        stated = statement.count
        if stated is None:  # "all the diagnostics"
            if data.total is None or data.count >= data.total:
                continue
            stated = data.total
        wrong_count = stated != data.count
        wrong_total = statement.of is not None and data.total is not None and statement.of != data.total
        if not (wrong_count or wrong_total):
            continue
        params: dict[str, str | int] = {
            "field": source,
            "subject": statement.subject,
            "qualifier": statement.qualifier,
            "stated": stated,
            "counted": data.count,
            "excerpt": statement.excerpt,
        }
        if wrong_total and not wrong_count:
            params |= {"stated": statement.of or 0, "counted": data.total or 0, "code_detail": "total"}
        key = (
            f"count:{source}:{statement.subject}:{statement.qualifier}:{params['stated']}:{params['counted']}"
        )
        findings.append(Finding("count_contradiction", key, params))
    return findings


def check_narrative(facts: NarrativeFacts) -> list[Finding]:
    """Every finding on a report's narrative, in reading order: sections, COPIL, documents."""
    findings: list[Finding] = []
    for name, text in facts.sections.items():
        if not text.strip():
            findings.append(Finding("empty_section", f"empty:{name}", {"field": name}))
            continue
        findings.extend(_placeholders(name, text, ()))
        findings.extend(_contradictions(name, text, facts.counted))
    if facts.wants_copil:
        copil = facts.copil
        if copil is None:
            findings.append(Finding("no_copil", "copil:none"))
        elif not copil.held:
            findings.append(
                Finding(
                    "copil_not_held",
                    f"copil:{copil.pk}:not-held",
                    {"meeting": copil.title, "date": str(copil.held_on)},
                )
            )
        elif facts.period_end is not None and copil.held_on < facts.period_end - dt.timedelta(
            days=COPIL_GRACE_DAYS
        ):
            findings.append(
                Finding(
                    "copil_before_period_end",
                    f"copil:{copil.pk}:early:{facts.period_end.isoformat()}",
                    {
                        "meeting": copil.title,
                        "date": copil.held_on.isoformat(),
                        "period_end": facts.period_end.isoformat(),
                    },
                )
            )
    for source, text in facts.documents.items():
        findings.extend(_placeholders(source, text, facts.generated_placeholders))
    return findings
