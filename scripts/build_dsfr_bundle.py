"""Build the trimmed DSFR bundle the pages load, from the django-dsfr package's own files.

``dsfr.main.min.css`` holds the whole design system (576 kB before compression) and the pages use a
minority of it. This script scans every template under ``sobrindustrie/`` and the strings of its
Python files (form widget classes, badge classes chosen in views) for DSFR classes (``fr-…``), finds
the parts of the DSFR that style them and writes into ``sobrindustrie/www/static/vendor/dsfr/``:

- ``dsfr.bundle.min.css``: the core, then the components with a rule for the classes used and the
  components those depend on (as each one's README lists them), in the order of dsfr.main.min.css,
  then the utilities (colours, icon families) with a rule for them. Parts are taken whole, modifiers
  and all, except for single-purpose classes no DSFR script ever sets (PRUNABLE_CLASS: spacing, grid
  columns, illustrative colours, and every utility class): only the rules of those used are kept.
- ``dsfr.bundle.module.min.js``: the core's module, then the modules of the same components. The DSFR
  JavaScript API is built for partial loading (the core publishes ``window.dsfr``, each component
  module registers itself on it); each file is wrapped in its own function scope because their
  minified top-level names collide once they share one module.

The url(...) of fonts and icons are rewritten to point at the package's files under STATIC_URL
(``../../dsfr/dist/…``), which collectstatic's manifest storage then turns into hashed names.

The pages are light-only (base.html sets ``data-fr-scheme="light"``), so the ``scheme`` part (dark
palette and its switcher) comes in only when a component that needs it does. Nothing is fetched from
the network. Run it whenever a template starts using a DSFR class no page used before::

    .venv/bin/python scripts/build_dsfr_bundle.py

``tests/www/test_dsfr_bundle.py`` fails until the committed bundle matches what this script writes.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import posixpath
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_DIR / "sobrindustrie"
OUTPUT_DIR = PACKAGE_DIR / "www" / "static" / "vendor" / "dsfr"
CSS_NAME = "dsfr.bundle.min.css"
JS_NAME = "dsfr.bundle.module.min.js"
# Static paths (relative to STATIC_URL) of the package's files and of the bundle, for url() rewriting.
DSFR_STATIC_DIR = "dsfr/dist"
BUNDLE_STATIC_DIR = "vendor/dsfr"
TEMPLATE_SUFFIXES = {".html", ".txt", ".svg"}

WILDCARD = "*"  # stands for whatever a template variable or f-string value puts in a class name
# A class name starts with "fr-" and a lowercase letter or template code (fr-{% if %}…): lang="fr-FR"
# and data-fr-… attributes are not class names.
CLASS_START = re.compile(r"(?<![A-Za-z0-9_-])fr-(?=[a-z]|{)")
NAME_CHARS = re.compile(r"[A-Za-z0-9_-]+")
TEMPLATE_VARIABLE = re.compile(r"{{.*?}}", re.DOTALL)
TEMPLATE_TAG = re.compile(r"{%-?\s*(\w+).*?%}", re.DOTALL)
TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.DOTALL)

CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
LICENCE = re.compile(r"/\*!.*?\*/", re.DOTALL)
CHARSET = '@charset "UTF-8";'
EMPTY_AT_BLOCK = re.compile(r"@media[^{}]*{\s*}")
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)")
CSS_CLASS = re.compile(r"\.(fr-[A-Za-z0-9_-]+)")
# At-rules whose block holds rules rather than declarations.
GROUPING_AT_RULES = ("@media", "@supports", "@-moz-document", "@document", "@layer", "@container")
KEYFRAMES = re.compile(r"@(-webkit-)?keyframes\b")
DEPENDENCY = re.compile(r"└─\s*([a-z-]+)")
# The DSFR's illustrative colours ("couleurs illustratives"), as badge, tag, callout… modifiers.
ACCENT_COLOURS = (
    "beige-gris-galet", "blue-cumulus", "blue-ecume", "brown-cafe-creme", "brown-caramel", "brown-opera",
    "green-archipel", "green-bourgeon", "green-emeraude", "green-menthe", "green-tilleul-verveine",
    "orange-terre-battue", "pink-macaron", "pink-tuile", "purple-glycine", "yellow-moutarde", "yellow-tournesol",
)  # fmt: skip
# Families of single-purpose classes that no DSFR script ever sets: whatever part holds them, only
# the rules naming those the pages use are kept (bundle_js checks that no script names one).
PRUNABLE_CLASS = re.compile(
    r"fr-[mp][tblrxy]?-(?:(?:sm|md|lg|xl|first)-)?(?:n?\d+(?:-5)?[vw]|0|auto)"  # spacing: fr-mt-md-3w
    r"|fr-col(?:-offset)?(?:-(?:sm|md|lg|xl))?(?:-\d+)?(?:--right)?"  # grid columns: fr-col-md-6
    rf"|fr-[a-z-]+--(?:{'|'.join(ACCENT_COLOURS)})"  # illustrative colours: fr-badge--blue-ecume
)
JS_STRING = re.compile(r"[\"'`]([a-z][a-z0-9_-]*)[\"'`]")


class BundleError(Exception):
    """The DSFR package does not look as this script expects."""


# --- Finding the DSFR classes the platform uses ---------------------------------------------------


def _if_branches(text: str, pos: int) -> tuple[list[str], int] | None:
    """The branches of the ``{% if %}`` block opening at pos (an empty one when it has no else) and
    the position after its ``{% endif %}``; None when the block is not closed."""
    depth, branches, branch_start, has_else = 0, [], 0, False
    for tag in TEMPLATE_TAG.finditer(text, pos):
        name = tag.group(1)
        if name == "if":
            depth += 1
            if depth == 1:
                branch_start = tag.end()
        elif depth == 1 and name in ("elif", "else", "endif"):
            branches.append(text[branch_start : tag.start()])
            branch_start = tag.end()
            has_else = has_else or name == "else"
            if name == "endif":
                return branches + ([] if has_else else [""]), tag.end()
        elif name == "endif":
            depth -= 1
    return None


def _read_class(text: str, pos: int) -> tuple[set[str], int]:
    """Read the class name starting at pos, through template code glued to it; return its spellings
    and where it stops. ``fr-btn--{% if a %}primary{% else %}secondary{% endif %}`` spells
    fr-btn--primary and fr-btn--secondary; ``fr-badge--{{ colour }}`` spells fr-badge--*."""
    growing: set[str] = {""}
    finished: set[str] = set()
    while growing:
        if name := NAME_CHARS.match(text, pos):
            growing = {spelling + name.group() for spelling in growing}
            pos = name.end()
        elif variable := TEMPLATE_VARIABLE.match(text, pos):
            growing = {spelling + WILDCARD for spelling in growing}
            pos = variable.end()
        elif (
            (tag := TEMPLATE_TAG.match(text, pos))
            and tag.group(1) == "if"
            and (block := _if_branches(text, pos))
        ):
            branches, pos = block
            still_growing: set[str] = set()
            for branch in branches:
                endings, end = _read_class(branch, 0)
                spellings = {spelling + ending for spelling in growing for ending in endings}
                # A branch that is all name goes on after {% endif %}; one that stops inside ends the name.
                (still_growing if end == len(branch) else finished).update(spellings)
            growing = still_growing
        else:
            break
    return finished | growing, pos


def _normalise(spelling: str) -> str:
    """A name left open by printf-style formatting ("fr-badge--%s") is a prefix; runs of wildcards are one."""
    if spelling.endswith("-"):
        spelling += WILDCARD
    return re.sub(r"\*+", WILDCARD, spelling)


def classes_in_text(text: str) -> set[str]:
    """The DSFR class names a template (or a string of Python) spells, template code expanded."""
    text = TEMPLATE_COMMENT.sub(" ", text)
    return {
        _normalise(spelling)
        for start in CLASS_START.finditer(text)
        for spelling in _read_class(text, start.start())[0]
    }


def _python_strings(source: str) -> Iterator[str]:
    """The string literals of a Python module, f-string values as template variables; docstrings
    and other bare strings are prose, not markup, and are left out."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            skipped.add(id(node.value))
        elif isinstance(node, ast.JoinedStr):  # its pieces are read as a whole, below
            skipped.update(id(part) for part in node.values)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(
                str(part.value) if isinstance(part, ast.Constant) else "{{ value }}" for part in node.values
            )


def classes_in_python(source: str) -> set[str]:
    return {name for string in _python_strings(source) for name in classes_in_text(string)}


def template_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    return sorted(
        path
        for path in package_dir.glob("**/templates/**/*")
        if path.is_file() and path.suffix in TEMPLATE_SUFFIXES
    )


def python_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    return sorted(path for path in package_dir.rglob("*.py") if "migrations" not in path.parts)


def used_classes(package_dir: Path = PACKAGE_DIR) -> dict[str, set[Path]]:
    """Every DSFR class name spelled in the package's templates and Python strings, with the files
    spelling it. Names holding ``*`` come from template variables or f-strings."""
    found: dict[str, set[Path]] = {}
    for path in template_files(package_dir):
        for name in classes_in_text(path.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(path)
    for path in python_files(package_dir):
        for name in classes_in_python(path.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(path)
    return found


def name_pattern(name: str) -> re.Pattern[str]:
    """A regular expression matching the class names a spelling with wildcards may stand for."""
    return re.compile("[A-Za-z0-9_-]*".join(re.escape(part) for part in name.split(WILDCARD)) + r"\Z")


# --- Reading CSS ------------------------------------------------------------------------------------


@dataclass
class Rule:
    prelude: str
    body: str

    def css(self) -> str:
        return f"{self.prelude}{{{self.body}}}"


@dataclass
class Block:
    prelude: str
    children: list[Rule | Block] = field(default_factory=list)

    def css(self) -> str:
        return f"{self.prelude}{{{''.join(child.css() for child in self.children)}}}"


def _skip_string(css: str, pos: int) -> int:
    quote, pos = css[pos], pos + 1
    while css[pos] != quote:
        pos += 2 if css[pos] == "\\" else 1
    return pos + 1


def _declarations_end(css: str, pos: int) -> int:
    """The position of the ``}`` closing the declaration block that starts at pos."""
    while css[pos] != "}":
        pos = _skip_string(css, pos) if css[pos] in "\"'" else pos + 1
    return pos


def parse_css(css: str) -> list[Rule | Block]:
    """Rules and grouping at-rules of a stylesheet, comments and statements (@charset…) dropped.
    Enough for the DSFR's minified files: no nesting inside declaration blocks."""
    css = CSS_COMMENT.sub("", css)
    stack: list[list[Rule | Block]] = [[]]
    start = pos = 0
    while pos < len(css):
        char = css[pos]
        if char in "\"'":
            pos = _skip_string(css, pos)
            continue
        if char == ";":
            start = pos + 1
        elif char == "}":
            children = stack.pop()
            stack[-1][-1].children = children  # type: ignore[union-attr]
            start = pos + 1
        elif char == "{":
            prelude = css[start:pos].strip()
            if prelude.startswith(GROUPING_AT_RULES) or KEYFRAMES.match(prelude):
                stack[-1].append(Block(prelude))
                stack.append([])
            else:
                end = _declarations_end(css, pos + 1)
                stack[-1].append(Rule(prelude, css[pos + 1 : end]))
                pos = end
            start = pos + 1
        pos += 1
    return stack[0]


def _split_top_level(text: str, separators: str) -> list[str]:
    """Split at separators that are outside parentheses, brackets and strings."""
    parts, depth, start, pos = [], 0, 0, 0
    while pos < len(text):
        char = text[pos]
        if char in "\"'":
            pos = _skip_string(text, pos)
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and char in separators:
            parts.append(text[start:pos])
            start = pos + 1
        pos += 1
    parts.append(text[start:])
    return parts


def selectors(nodes: Iterable[Rule | Block]) -> Iterator[str]:
    """Every selector of the style rules, inside @media and the like (keyframe steps are not selectors)."""
    for node in nodes:
        if isinstance(node, Block):
            if not KEYFRAMES.match(node.prelude):
                yield from selectors(node.children)
        elif not node.prelude.startswith("@"):
            yield from (selector.strip() for selector in _split_top_level(node.prelude, ","))


def required_classes(selector: str) -> frozenset[str]:
    """The DSFR classes an element tree must carry for a selector to match anything: all those it
    names outside :not(…) and the like. `.fr-btn:not(.fr-btn--sm)` requires fr-btn only."""
    while (bare := re.sub(r"\([^()]*\)", "", selector)) != selector:
        selector = bare
    return frozenset(CSS_CLASS.findall(selector))


def classes_of(nodes: Iterable[Rule | Block]) -> set[str]:
    return {name for selector in selectors(nodes) for name in CSS_CLASS.findall(selector)}


# --- The DSFR package -------------------------------------------------------------------------------


@dataclass
class Part:
    """A piece of the DSFR that can be loaded on its own: the core, the scheme, a component, or a
    utility (the colours, an icon family)."""

    name: str
    kind: str  # "core", "scheme", "component" or "utility"
    folder: Path
    css: Path | None
    js: Path | None
    depends_on: tuple[str, ...]
    nodes: list[Rule | Block] = field(default_factory=list, repr=False)
    selector_classes: set[frozenset[str]] = field(default_factory=set, repr=False)  # see required_classes

    def load(self) -> None:
        if self.css is None:
            return
        self.nodes = parse_css(self.css.read_text(encoding="utf-8"))
        classes = {required_classes(selector) for selector in selectors(self.nodes)}
        self.selector_classes = classes - {frozenset()}

    def prunes(self, name: str) -> bool:
        """Whether the bundle keeps this part's rules naming that class only if the pages use it.
        A utility rule styles its one class; elsewhere, only the PRUNABLE_CLASS families."""
        return self.kind == "utility" or PRUNABLE_CLASS.fullmatch(name) is not None


def dsfr_dist_dir() -> Path:
    """The ``dist`` folder of django-dsfr's static files, found without importing Django."""
    spec = importlib.util.find_spec("dsfr")
    if spec is None or spec.origin is None:
        raise BundleError("the django-dsfr package (module dsfr) is not installed")
    dist = Path(spec.origin).parent / "static" / "dsfr" / "dist"
    if not (dist / "core" / "core.main.min.css").is_file():
        raise BundleError(f"{dist} holds no core/core.main.min.css: unexpected django-dsfr layout")
    return dist


def _dependencies(folder: Path) -> tuple[str, ...]:
    """The parts a part depends on, from the tree under "Dépendances" in its README."""
    readme = folder / "README.md"
    if not readme.is_file():
        return ()
    section = readme.read_text(encoding="utf-8").partition("## Dépendances")[2].partition("## ")[0]
    return tuple(name for name in DEPENDENCY.findall(section) if name != "core")


def _file(folder: Path, *names: str) -> Path | None:
    return next((folder / name for name in names if (folder / name).is_file()), None)


def discover_parts(dist: Path) -> dict[str, Part]:
    """Every part of the package, core first, keyed by name."""
    core, scheme = dist / "core", dist / "scheme"
    parts = [
        Part("core", "core", core, core / "core.main.min.css", core / "core.module.min.js", ()),
        Part("scheme", "scheme", scheme, scheme / "scheme.min.css", scheme / "scheme.module.min.js", ()),
    ]
    for folder in sorted(path for path in (dist / "component").iterdir() if path.is_dir()):
        name = folder.name
        parts.append(
            Part(
                name,
                "component",
                folder,
                # The deprecated download component ships no main/legacy split.
                _file(folder, f"{name}.main.min.css", f"{name}.min.css"),
                _file(folder, f"{name}.module.min.js"),
                _dependencies(folder),
            )
        )
    utility_folders = [dist / "utility" / "colors"] + sorted(
        path for path in (dist / "utility" / "icons").iterdir() if path.is_dir()
    )
    for folder in utility_folders:
        parts.append(
            Part(folder.name, "utility", folder, _file(folder, f"{folder.name}.main.min.css"), None, ())
        )
    for part in parts:
        part.load()
    return {part.name: part for part in parts}


def _css_body(path: Path) -> str:
    """A part's stylesheet without its @charset, licence comment and empty @media blocks."""
    text = LICENCE.sub("", path.read_text(encoding="utf-8")).replace(CHARSET, "")
    return EMPTY_AT_BLOCK.sub("", text).strip()


def _comparable(css: str) -> str:
    """Stylesheet text to compare across files: url(...) paths differ with the file's folder."""
    return CSS_URL.sub("url()", LICENCE.sub("", css))


def _position_in(aggregate: str, part: Part) -> int:
    """Where a part's rules start in one of the package's aggregate stylesheets, passed through
    _comparable (-1: absent)."""
    assert part.css is not None
    return aggregate.find(_comparable(_css_body(part.css))[:120])


def dsfr_order(dist: Path, parts: dict[str, Part]) -> list[str]:
    """The order of the parts in the whole DSFR: core, scheme, the components as dsfr.main.min.css
    has them (a part without stylesheet after those with one), the utilities as
    utility.main.min.css has them."""
    whole = _comparable((dist / "dsfr" / "dsfr.main.min.css").read_text(encoding="utf-8"))
    utilities = _comparable((dist / "utility" / "utility.main.min.css").read_text(encoding="utf-8"))
    positions: dict[str, tuple[int, int]] = {"core": (0, 0), "scheme": (1, 0)}
    for part in parts.values():
        if part.kind == "component":
            position = _position_in(whole, part) if part.css else len(whole)
            positions[part.name] = (2, position)
        elif part.kind == "utility" and part.css:
            positions[part.name] = (3, _position_in(utilities, part))
        if part.name in positions and positions[part.name][1] < 0:
            raise BundleError(f"{part.name} not found in the aggregate stylesheet: unexpected DSFR build")
    return sorted(positions, key=positions.__getitem__)


# --- Choosing and assembling ------------------------------------------------------------------------


class UsedClasses:
    """The class names the platform spells, some with wildcards (see used_classes)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self.exact = {name for name in self.names if WILDCARD not in name}
        self.patterns = [name_pattern(name) for name in self.names - self.exact]

    def __contains__(self, name: object) -> bool:
        return name in self.exact or any(pattern.match(str(name)) for pattern in self.patterns)

    def cover(self, classes: Iterable[str]) -> bool:
        return all(name in self for name in classes)


@dataclass
class Selection:
    parts: list[Part]  # in load order
    used: UsedClasses


def select_parts(used: UsedClasses, parts: dict[str, Part], order: list[str]) -> Selection:
    """The core, every part holding a rule that applies to the classes used (all the classes its
    selector names are used), and what those depend on, in DSFR order.

    A part that styles a used class only in combination with a class nobody uses is left out:
    `.fr-fieldset--error .fr-toggle` does not bring the toggle in for a form with errors."""
    chosen = {"core"} | {part.name for part in parts.values() if any(map(used.cover, part.selector_classes))}
    pending = list(chosen)
    while pending:
        for dependency in parts[pending.pop()].depends_on:
            if dependency not in chosen:
                chosen.add(dependency)
                pending.append(dependency)
    ordered = [parts[name] for name in order if name in chosen]
    rank = {part.name: index for index, part in enumerate(ordered)}
    for part in ordered:
        late = [dependency for dependency in part.depends_on if rank[dependency] > rank[part.name]]
        if late:
            raise BundleError(f"{part.name} comes before {', '.join(late)} it depends on")
    return Selection(ordered, used)


def keep_used(nodes: list[Rule | Block], used: UsedClasses, part: Part) -> list[Rule | Block]:
    """A part's rules without the selectors naming a class it prunes (Part.prunes) that nobody
    uses; rules and @media blocks left empty go."""
    kept: list[Rule | Block] = []
    for node in nodes:
        if isinstance(node, Block):
            children = keep_used(node.children, used, part)
            if children or KEYFRAMES.match(node.prelude):
                kept.append(Block(node.prelude, children))
            continue
        wanted = [
            selector
            for selector in _split_top_level(node.prelude, ",")
            if all(name in used for name in required_classes(selector) if part.prunes(name))
        ]
        if wanted:
            kept.append(Rule(",".join(wanted), node.body))
    return kept


def rewrite_urls(css: str, source_dir: str) -> str:
    """Make the relative url(...) of a stylesheet served from source_dir (a static path) relative to
    the bundle's folder instead. Data and absolute URLs are left alone."""

    def rewrite(match: re.Match[str]) -> str:
        quote, url = match.groups()
        if re.match(r"(data:|[a-z]+://|/|#)", url):
            return match.group()
        path, suffix = re.match(r"([^?#]*)(.*)", url).groups()  # type: ignore[union-attr]
        target = posixpath.normpath(posixpath.join(source_dir, path))
        return f"url({quote}{posixpath.relpath(target, BUNDLE_STATIC_DIR)}{suffix}{quote})"

    return CSS_URL.sub(rewrite, css)


def url_targets(css: str, static_dir: str = BUNDLE_STATIC_DIR) -> set[str]:
    """The static paths a stylesheet served from static_dir refers to with relative url(...)."""
    return {
        posixpath.normpath(posixpath.join(static_dir, re.split(r"[?#]", url)[0]))
        for _, url in CSS_URL.findall(css)
        if not re.match(r"(data:|[a-z]+://|/|#)", url)
    }


def _static_dir(dist: Path, path: Path) -> str:
    return posixpath.join(DSFR_STATIC_DIR, path.parent.relative_to(dist).as_posix())


def _licence(path: Path) -> str:
    found = LICENCE.search(path.read_text(encoding="utf-8"))
    if found is None:
        raise BundleError(f"{path} carries no licence comment")
    return found.group()


def bundle_css(selection: Selection, dist: Path) -> str:
    chunks = [CHARSET, _licence(dist / "core" / "core.main.min.css")]
    for part in selection.parts:
        if part.css is None:
            continue
        body = "".join(node.css() for node in keep_used(part.nodes, selection.used, part))
        chunks.append(f"/* {part.folder.relative_to(dist).as_posix()} */")
        chunks.append(rewrite_urls(body, _static_dir(dist, part.css)))
    return "\n".join(chunks) + "\n"


def bundle_js(selection: Selection, dist: Path) -> str:
    chunks = [_licence(dist / "core" / "core.module.min.js")]
    for part in selection.parts:
        if part.js is None:
            continue
        code = LICENCE.sub("", part.js.read_text(encoding="utf-8")).strip()
        # DSFR scripts name classes without the prefix: ns.selector("collapse--expanded").
        set_by_script = [name for name in JS_STRING.findall(code) if PRUNABLE_CLASS.fullmatch(f"fr-{name}")]
        if set_by_script:
            raise BundleError(f"{part.js.name} names fr-{set_by_script[0]}: it cannot be pruned")
        chunks.append(f"/* {part.folder.relative_to(dist).as_posix()} */\n(()=>{{\n{code}\n}})();")
    return "\n".join(chunks) + "\n"


def unstyled(names: Iterable[str], styled: set[str]) -> set[str]:
    """The names no selector of a stylesheet names (a spelling with wildcards: none it may stand for)."""
    return {
        name
        for name in names
        if (name not in styled if WILDCARD not in name else not any(map(name_pattern(name).match, styled)))
    }


@dataclass
class Bundle:
    css: str
    js: str
    parts: list[Part]
    used: dict[str, set[Path]]  # class name -> the files spelling it


def build(package_dir: Path = PACKAGE_DIR) -> Bundle:
    """The bundle the package's templates need, as text; nothing is written."""
    dist = dsfr_dist_dir()
    parts = discover_parts(dist)
    used = used_classes(package_dir)
    selection = select_parts(UsedClasses(used), parts, dsfr_order(dist, parts))
    return Bundle(bundle_css(selection, dist), bundle_js(selection, dist), selection.parts, used)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_DIR, help="folder to write the bundle to")
    args = parser.parse_args(argv)
    try:
        bundle = build()
    except BundleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / CSS_NAME).write_text(bundle.css, encoding="utf-8")
    (args.output / JS_NAME).write_text(bundle.js, encoding="utf-8")
    print(f"{CSS_NAME}: {len(bundle.css.encode()):,} bytes; {JS_NAME}: {len(bundle.js.encode()):,} bytes")
    print(f"parts: {', '.join(part.name for part in bundle.parts)}")
    # Not an error: the DSFR's own markup carries a few classes it gives no style (fr-header__body).
    for name in sorted(unstyled(bundle.used, classes_of(parse_css(bundle.css)))):
        files = ", ".join(sorted(str(path.relative_to(REPO_DIR)) for path in bundle.used[name]))
        print(f"no DSFR style for {name} ({files})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
