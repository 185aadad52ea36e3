"""The grammar of Publicodes expressions (`effectif >= 50`, `région = Bretagne`, `'texte'`, `01/02/2024`).

An expression is parsed into a small tree of tuples, independent of the rule it appears in, so that
each distinct string is parsed once (`parse_expression` is cached). The lexical rules are those of the
reference engine 1.10.1, including its quirks: names are made of Latin letters, digits and a few
symbols (not the typographic apostrophe), operators must be surrounded by spaces, and a quoted string
runs to the *last* quote of the expression.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from sobrindustrie.engines.publicodes.errors import PublicodesError
from sobrindustrie.engines.publicodes.values import normalize_date

# A parsed expression: ("ref", name) | ("number", float) | ("string", str) | ("boolean", bool)
# | ("date", "dd/mm/yyyy") | ("op", operator, left, right)
Expression = tuple[object, ...]

_SPACE = "[\t \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_LETTER = "[a-zA-Z\u00c0-\u017f$]"
_SYMBOL = "[',°€$%²_\"«»]"
_ANY_CHAR = f"(?:{_LETTER}|{_SYMBOL}|[0-9])"
_ANY_CHAR_OR_SPECIAL = f"(?:{_ANY_CHAR}|-|\\+|')"


def _phrase_starting_with(first: str) -> str:
    return f"(?:{first}{_ANY_CHAR_OR_SPECIAL}*)(?:{_SPACE}{_ANY_CHAR}{_ANY_CHAR_OR_SPECIAL}*)*"


_RULE_NAME = _phrase_starting_with(_LETTER)
_DOTTED_NAME = re.compile(f"(?:{_RULE_NAME}|\\^)(?: \\. {_RULE_NAME})*")
# Unanchored like the reference engine's, and greedy: it runs to the last quote of the line.
_STRING = re.compile("'[^\n\r\u2028\u2029]*'|\"[^\n\r\u2028\u2029]*\"")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DATE = re.compile(r"(?:(?:0?[1-9]|[12][0-9]|3[01])/)?(?:0?[1-9]|1[012])/[0-9]{4}")
# Only detected, to refuse it: a unit after a number (`50 salariés`, `10 %`).
_UNIT_START = re.compile(f"{_SPACE}*/?(?:{_LETTER}|[°%€$£¥¢₠-₿])")
_SPACES = re.compile(f"{_SPACE}*")
_COMPARISON = re.compile(f"{_SPACE}+(>|<|>=|<=|=|!=){_SPACE}+")
_ADDITION = re.compile(f"{_SPACE}+(-|\\+){_SPACE}+")
_MULTIPLICATION = re.compile(f"{_SPACE}+(\\*|/|//){_SPACE}+")
_EXPONENTIATION = re.compile(f"{_SPACE}+(\\*\\*){_SPACE}+")
_ANY_OPERATOR = re.compile(r"\+|-|\*|/|>|<|=|!=")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_FIRST_LETTER = re.compile(_LETTER)


class _Syntax(Exception):
    def __init__(self, position: int, expected: str) -> None:
        super().__init__(expected)
        self.position = position
        self.expected = expected


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def at_end(self) -> bool:
        return self.position >= len(self.text)

    def peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        return pattern.match(self.text, self.position)

    def take(self, pattern: re.Pattern[str], expected: str) -> re.Match[str]:
        found = self.match(pattern)
        if found is None:
            raise _Syntax(self.position, expected)
        self.position = found.end()
        return found

    def comparison(self) -> Expression:
        return self._binary(_COMPARISON, self.addition)

    def addition(self) -> Expression:
        return self._binary(_ADDITION, self.multiplication)

    def multiplication(self) -> Expression:
        return self._binary(_MULTIPLICATION, self.exponentiation)

    def _binary(self, operators: re.Pattern[str], operand: Callable[[], Expression]) -> Expression:
        left = operand()
        while not self.at_end() and (found := self.match(operators)):
            self.position = found.end()
            left = ("op", found.group(1), left, operand())
        return left

    def exponentiation(self) -> Expression:
        left = self.primary()
        while not self.at_end() and (found := self.match(_EXPONENTIATION)):
            self.position = found.end()
            left = ("op", "**", left, self.exponentiation())
        return left

    def primary(self) -> Expression:
        char = self.peek()
        if char == "(":
            self.position += 1
            self.take(_SPACES, "spaces")
            inner = self.comparison()
            self.take(_SPACES, "spaces")
            if self.peek() != ")":
                raise _Syntax(self.position, "')'")
            self.position += 1
            return inner
        if char == "-":
            self.position += 1
            self.take(_SPACES, "spaces")
            return ("op", "-", ("number", 0.0), self.primary())
        if date := self.match(_DATE):
            self.position = date.end()
            return ("date", date.group(0))
        if char.isascii() and char.isdigit():
            number = self.take(_NUMBER, "a number")
            if self.match(_UNIT_START):
                raise _Syntax(self.position, "no unit: units are not supported by this engine")
            return ("number", float(number.group(0)))
        if char in {"'", '"'}:
            found = _STRING.search(self.text, self.position)
            if found is None:
                raise _Syntax(self.position, "a closing quote")
            # The reference engine advances by the match's length from where the string starts.
            self.position += len(found.group(0))
            return ("string", found.group(0)[1:-1])
        if char == "^" or _FIRST_LETTER.fullmatch(char):
            name = self.take(_DOTTED_NAME, "a rule name").group(0)
            if name in {"oui", "non"}:
                return ("boolean", name == "oui")
            return ("ref", name)
        raise _Syntax(self.position, "a constant, a reference or an expression in parentheses")


@functools.lru_cache(maxsize=8192)
def _parse_cached(text: str) -> Expression:
    parser = _Parser(text)
    tree = parser.comparison()
    if not parser.at_end():
        if parser.match(_ANY_OPERATOR) or parser.peek() in "+-*/<>=!":
            raise _Syntax(parser.position, 'an operator surrounded by spaces ("2 + 2", not "2+2")')
        raise _Syntax(parser.position, "the end of the expression")
    return _normalize_dates(tree)


def _normalize_dates(tree: Expression) -> Expression:
    if tree[0] == "date":
        return ("date", normalize_date(str(tree[1])))
    if tree[0] == "op":
        left, right = tree[2], tree[3]
        assert isinstance(left, tuple) and isinstance(right, tuple)
        return ("op", tree[1], _normalize_dates(left), _normalize_dates(right))
    return tree


def parse_expression(text: str, rule: str | None = None) -> Expression:
    """Parse one Publicodes expression; PublicodesError (naming `rule`) if it is not valid.

    Line breaks with the spaces around them become one space, as in the reference engine.
    """
    line = _LINE_BREAK.sub(" ", text).strip()
    try:
        return _parse_cached(line)
    except _Syntax as error:
        pointer = f"{line[: error.position]}⟦here⟧{line[error.position :]}"
        raise PublicodesError(
            f"invalid expression {pointer!r}: expected {error.expected}", rule=rule
        ) from None
    except PublicodesError as error:
        raise PublicodesError(f"invalid expression {line!r}: {error.reason}", rule=rule) from None
