"""Seeded typos: does the linter catch misspelled Twisted hooks in real code?  (A bench.)

Run:  .venv/bin/python bench/seeded_typos.py [CORPUS_DIR] [--sites N] [--seed S] [--jobs J]

CORPUS_DIR holds one folder per project (default: ``$OC_CORPUS/src``, else what
``/work/shared/corpus/get-corpus.sh`` prints, else ``~/.cache/overridecheck-corpus/src``).

1. *Sites.*  Each project is resolved with the engine's own :class:`Resolver` (as
   ``check_files`` builds it).  A site is a method of a complete, non-interface class whose
   name is provided by a Twisted class of its MRO or a Twisted interface it implements (the
   defining class lives in the ``twisted`` package).  A site is *via module* when a direct base
   of its class is defined in another module of the same project and that base, not itself the
   provider, reaches the Twisted provider.  Twisted is split into ``twisted`` (``src/``) and
   ``twisted-docs`` (``docs/``, mostly examples).
2. *Sample.*  A fixed-seed sample of sites, spread evenly over projects, half of each share
   (when available) via module.
3. *Typos.*  Per site, one typo per kind (positions chosen by a seeded RNG): ``deletion``,
   ``transposition`` (two adjacent letters inside a word, neither the word's first),
   ``doubled``, ``keyboard`` (a letter other than a word's first replaced by a neighbouring
   key on a QWERTY keyboard, case kept), ``case-first`` (first letter's case flipped),
   ``all-lower``, ``snake_case`` and ``ie/ei``.  Typos that drop, move or replace the *first*
   letter of a word are reported as the informational kinds ``deletion-initial``,
   ``transposition-initial`` and ``keyboard-initial``: people rarely mistype a word's first
   letter, and the engine treats such names as different words (``getName``/``setName``)
   unless the intended name is a hook, so they are shown but not counted in the totals.  A
   typo is skipped when it is another name the class, its bases or interfaces already have, or
   a special method; names of 4 characters or fewer, dunders, ``@overload`` stacks and
   methods with ``# noqa`` on their ``def`` line are not sampled.
4. *Check.*  The project's ``.py`` files are copied once to a temporary folder; mutations are
   applied in batches (one per file, module names unique, mutated classes unrelated by
   inheritance), ``check_files`` is run on the mutated files only (siblings are found on the
   search path, which is how a base reached through another module is resolved) and every
   file is restored.  A typo is *detected* when an OC101/OC102 is reported on its ``def`` line
   and its *first suggestion* is correct when that diagnostic suggests the original name.
   Only the mutated files are linted, so the evidence a whole-project run has is applied as
   the engine applies it (``lint.evidence``): an OC101 whose name a file of the project uses
   (``x.name``, an equal string, a ``callRemote`` name) is not reported.

Exits 1 when recall or first-suggestion accuracy over the counted kinds is below 98%, or
recall of any counted kind is below 95%.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional

from overridecheck._names import SPECIAL_METHODS
from overridecheck._suggest import rank, variant_key, words
from overridecheck.lint.engine import check_files
from overridecheck.lint.model import FunctionSummary, ModuleSummary, NamesIndex
from overridecheck.lint.modules import ModuleFinder, default_search_path, module_name_for
from overridecheck.lint.resolve import ClassInfo, Resolver
from overridecheck.lint.summarise import SourceError, summarise

try:  # the engine's whole-tree evidence pass (absent from older engines: nothing to emulate)
    from overridecheck.lint.evidence import EVIDENCE_CODES, imports_module
except ImportError:  # pragma: no cover
    EVIDENCE_CODES = frozenset()
    imports_module = None

THRESHOLD = 0.95  # recall of every counted kind
TOTAL_THRESHOLD = 0.98  # recall and first-suggestion accuracy over the counted kinds
KINDS = (
    "deletion",
    "transposition",
    "doubled",
    "keyboard",
    "case-first",
    "all-lower",
    "snake_case",
    "ie/ei",
)
INFO_KINDS = ("deletion-initial", "transposition-initial", "keyboard-initial")
GET_CORPUS = "/work/shared/corpus/get-corpus.sh"

# QWERTY neighbours of each letter (same row, and the staggered rows above and below), kept
# here rather than taken from the engine so that the bench seeds slips independently of it.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _i, _c in enumerate(_row):
        _near = {_row[j] for j in (_i - 1, _i + 1) if 0 <= j < len(_row)}
        if _r > 0:
            _near |= {_ROWS[_r - 1][j] for j in (_i, _i + 1) if j < len(_ROWS[_r - 1])}
        if _r + 1 < len(_ROWS):
            _near |= {_ROWS[_r + 1][j] for j in (_i - 1, _i) if 0 <= j < len(_ROWS[_r + 1])}
        NEIGHBOURS[_c] = "".join(sorted(_near))


# -- sites -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A real override of a Twisted-provided method, in a project copy-able as ``root``."""

    project: str
    root: str  # the project's folder
    rel: str  # the file, relative to ``root``
    module: str
    cls: str  # qualname
    method: str
    line: int
    owner: str  # "twisted.internet.protocol.Protocol"
    via_module: bool
    class_key: tuple[str, str]
    mro_keys: frozenset[tuple[str, str]]
    taken: frozenset[str]  # names the class, its bases and interfaces already have
    candidates: tuple[str, ...]  # names it could be a typo of (for explaining misses)


@dataclass(frozen=True)
class Mutation:
    site: Site
    kind: str
    typo: str


@dataclass
class Outcome:
    mutation: Mutation
    detected: bool
    suggestion: Optional[str]
    got: str  # message of the diagnostic, or "" when none

    @property
    def first_ok(self) -> bool:
        return self.detected and self.suggestion == self.mutation.site.method


@dataclass
class Scan:
    sites: list[Site] = field(default_factory=list)
    excluded: Counter[str] = field(default_factory=Counter)


def _key(info: ClassInfo) -> tuple[str, str]:
    return (info.module.module or info.module.path, info.summary.qualname)


def _is_twisted(info: ClassInfo) -> bool:
    m = info.module.module
    return m == "twisted" or m.startswith("twisted.")


def _defines_method(info: ClassInfo, name: str) -> bool:
    return any(f.name == name for f in info.summary.methods)


def twisted_provider(info: ClassInfo, name: str) -> Optional[ClassInfo]:
    """The first Twisted class (MRO first, then interfaces) defining method ``name``."""
    for c in info.mro[1:]:
        if isinstance(c, ClassInfo) and _is_twisted(c) and _defines_method(c, name):
            return c
    for iface in info.interfaces:
        for c in iface.mro:
            if isinstance(c, ClassInfo) and _is_twisted(c) and _defines_method(c, name):
                return c
    return None


def _reaches(base: ClassInfo, provider: ClassInfo) -> bool:
    return provider in base.mro or any(provider in i.mro for i in base.interfaces)


def _under(path: str, root: str) -> bool:
    path = os.path.realpath(path)
    return path.startswith(os.path.realpath(root) + os.sep)


class _Loader:
    """Summaries of files that are not linted, cached by path across resolvers."""

    def __init__(self) -> None:
        self.cache: dict[str, Optional[ModuleSummary]] = {}

    def __call__(self, path: str, module: str, is_package: bool) -> Optional[ModuleSummary]:
        key = f"{path}\0{module}"
        if key not in self.cache:
            try:
                with open(path, "rb") as f:
                    data = f.read()
                self.cache[key] = summarise(data, path=path, module=module, is_package=is_package)
            except (OSError, SourceError):
                self.cache[key] = None
        return self.cache[key]


def py_files(folder: str) -> list[str]:
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return out


def find_sites(project: str, root: str, files: Sequence[str], search_path: Sequence[str]) -> Scan:
    """All sites in ``files`` (absolute paths under ``root``)."""
    scan = Scan()
    groups: dict[str, list[ModuleSummary]] = defaultdict(list)
    for path in files:
        folder, module, is_package = module_name_for(path)
        try:
            with open(path, "rb") as f:
                data = f.read()
            s = summarise(data, path=path, module=module, is_package=is_package)
        except (OSError, SourceError):
            scan.excluded["file cannot be summarised"] += 1
            continue
        groups[folder].append(s)
    loader = _Loader()
    for folder in sorted(groups):
        summaries = groups[folder]
        finder = ModuleFinder([folder, *search_path])
        preloaded = {s.module: s for s in summaries if s.module}
        resolver = Resolver(finder, preloaded, loader)
        for s in summaries:
            for info in resolver.classes(s):
                _class_sites(project, root, s, info, scan)
    return scan


def _class_sites(project: str, root: str, s: ModuleSummary, info: ClassInfo, scan: Scan) -> None:
    if info.is_interface:
        return
    seen: set[str] = set()
    counts = Counter(f.name for f in info.summary.methods)
    for fn in info.summary.methods:
        if fn.name in seen:
            continue
        seen.add(fn.name)
        provider = twisted_provider(info, fn.name)
        if provider is None:
            continue
        if not info.complete:
            scan.excluded["class has an unresolved base (the engine never guesses)"] += 1
            continue
        if fn.name.startswith("__") and fn.name.endswith("__"):
            scan.excluded["dunder method"] += 1
            continue
        if len(fn.name.strip("_")) <= 4:
            scan.excluded["name of 4 characters or fewer"] += 1
            continue
        if fn.line in s.noqa:
            scan.excluded["`# noqa` on the def line"] += 1
            continue
        if any(d.rsplit(".", 1)[-1] == "overload" for d in fn.decorators):
            scan.excluded["`@overload` stack"] += 1
            continue
        if counts[fn.name] > 1:
            scan.excluded["defined twice in the class (property setter, redefinition)"] += 1
            continue
        scan.sites.append(_site(project, root, s, info, fn, provider))


def _site(
    project: str,
    root: str,
    s: ModuleSummary,
    info: ClassInfo,
    fn: FunctionSummary,
    provider: ClassInfo,
) -> Site:
    via = any(
        isinstance(b, ClassInfo)
        and b is not provider
        and b.module.path
        and b.module.path != s.path
        and _under(b.module.path, root)
        and _reaches(b, provider)
        for b in info.bases
    )
    inherited = info.inherited()
    interface = info.interface_members()
    own = info.own_names()
    taken = own | set(inherited) | set(interface)
    candidates = tuple(
        sorted(
            n
            for n, m in {**interface, **inherited}.items()
            if n not in own and (m.function is not None or m.from_interface)
        )
    )
    return Site(
        project=project,
        root=root,
        rel=os.path.relpath(s.path, root),
        module=s.module,
        cls=info.summary.qualname,
        method=fn.name,
        line=fn.line,
        owner=f"{provider.module.module}.{provider.summary.qualname}",
        via_module=via,
        class_key=_key(info),
        mro_keys=frozenset(_key(c) for c in info.mro if isinstance(c, ClassInfo)),
        taken=frozenset(taken),
        candidates=(*candidates, fn.name),
    )


# -- typos -------------------------------------------------------------------------------


def _word_starts(core: str) -> set[int]:
    """Indexes of the first letter of each camelCase/snake_case word of ``core``."""
    starts: set[int] = set()
    pos = 0
    for w in re.finditer(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", core):
        starts.add(w.start())
        pos = w.end()
    del pos
    return starts


def _snake(core: str) -> str:
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", core)
    return s.lower()


def typos(name: str, rng: random.Random) -> dict[str, str]:
    """One typo of ``name`` per applicable kind (positions chosen with ``rng``)."""
    lead = len(name) - len(name.lstrip("_"))
    prefix, core = name[:lead], name[lead:]
    letters = [i for i, c in enumerate(core) if c.isalpha()]
    starts = _word_starts(core)
    out: dict[str, str] = {}

    def pick(options: list[int]) -> Optional[int]:
        return options[rng.randrange(len(options))] if options else None

    def seed(kind: str, options: list[int], make: Callable[[int], str]) -> None:
        """One typo of ``kind`` at a position picked among ``options`` (if there is one)."""
        i = pick(options)
        if i is not None:
            out[kind] = make(i)

    def delete(i: int) -> str:
        return core[:i] + core[i + 1 :]

    seed("deletion", [i for i in letters if i not in starts], delete)
    initials = [i for i in letters if i in starts and i + 1 < len(core) and core[i + 1].isalpha()]
    seed("deletion-initial", initials, delete)

    def swap(i: int) -> str:
        a, b = core[i], core[i + 1]
        # keep the case pattern: the letters move, a capital stays where the word starts
        if a.isupper():
            a, b = a.lower(), b.upper()
        return core[:i] + b + a + core[i + 2 :]

    pairs = [
        i
        for i in range(len(core) - 1)
        if core[i].isalpha()
        and core[i + 1].isalpha()
        and core[i].lower() != core[i + 1].lower()
        and i + 1 not in starts
    ]
    seed("transposition", [i for i in pairs if i not in starts], swap)
    seed("transposition-initial", [i for i in pairs if i in starts], swap)
    seed("doubled", letters, lambda i: core[: i + 1] + core[i].lower() + core[i + 1 :])

    def near_key(i: int) -> str:
        c = core[i]
        keys = NEIGHBOURS[c.lower()]
        k = keys[rng.randrange(len(keys))]
        return core[:i] + (k.upper() if c.isupper() else k) + core[i + 1 :]

    keyed = [i for i in letters if core[i].lower() in NEIGHBOURS]
    seed("keyboard", [i for i in keyed if i not in starts], near_key)
    seed("keyboard-initial", [i for i in keyed if i in starts], near_key)
    if core[:1].isalpha():
        out["case-first"] = core[0].swapcase() + core[1:]
    if core.lower() != core:
        out["all-lower"] = core.lower()
    if any(c.isupper() for c in core[1:]) and "_" not in core:
        out["snake_case"] = _snake(core)
    ie = [m.start() for m in re.finditer(r"(?=(ie|ei))", core)]
    i = pick(ie)
    if i is not None:
        out["ie/ei"] = core[:i] + core[i + 1] + core[i] + core[i + 2 :]
    return {k: prefix + v for k, v in out.items() if prefix + v != name}


def mutations(sites: Iterable[Site], seed: int, skipped: Counter[str]) -> list[Mutation]:
    out = []
    for site in sites:
        rng = random.Random(f"{seed}:{site.project}:{site.rel}:{site.cls}:{site.method}")
        for kind, typo in typos(site.method, rng).items():
            if typo in site.taken:
                skipped[f"{kind}: typo is a name the class or its bases already have"] += 1
            elif typo in SPECIAL_METHODS:
                skipped[f"{kind}: typo is a special method"] += 1
            else:
                out.append(Mutation(site, kind, typo))
    return out


# -- sampling ----------------------------------------------------------------------------


def sample(sites: Sequence[Site], total: int, seed: int) -> list[Site]:
    """``total`` sites spread evenly over projects, half of each share via module if possible."""
    by_project: dict[str, list[Site]] = defaultdict(list)
    for s in sorted(sites, key=lambda s: (s.project, s.rel, s.line, s.cls, s.method)):
        by_project[s.project].append(s)
    projects = sorted(by_project)
    pools = {}
    for p in projects:
        rng = random.Random(f"{seed}:{p}")
        via = [s for s in by_project[p] if s.via_module]
        other = [s for s in by_project[p] if not s.via_module]
        rng.shuffle(via)
        rng.shuffle(other)
        pools[p] = (via, other)
    chosen: dict[str, list[Site]] = {p: [] for p in projects}
    remaining = total
    open_projects = list(projects)
    while remaining > 0 and open_projects:
        share = max(1, remaining // len(open_projects))
        still_open = []
        for p in open_projects:
            via, other = pools[p]
            got = chosen[p]
            want = min(share, remaining)
            for _ in range(want):
                n_via = sum(1 for s in got if s.via_module)
                first, second = (via, other) if n_via * 2 <= len(got) else (other, via)
                pool = first or second
                if not pool:
                    break
                got.append(pool.pop())
                remaining -= 1
            if via or other:
                still_open.append(p)
            if remaining <= 0:
                break
        open_projects = still_open
    return [s for p in projects for s in chosen[p]]


# -- running -----------------------------------------------------------------------------


def _copy_tree(src: str, dst: str) -> None:
    def ignore(folder: str, names: list[str]) -> list[str]:
        return [
            n for n in names if not n.endswith(".py") and not os.path.isdir(os.path.join(folder, n))
        ]

    shutil.copytree(src, dst, ignore=ignore, symlinks=False)


def _rename_def(data: bytes, line: int, old: str, new: str) -> bytes:
    lines = data.split(b"\n")
    text = lines[line - 1]
    pattern = re.compile(rb"\bdef(\s+)" + re.escape(old.encode()) + rb"\b")
    m = pattern.search(text)
    if m is None:
        raise ValueError(f"no `def {old}` on line {line}")
    lines[line - 1] = text[: m.start()] + b"def" + m.group(1) + new.encode() + text[m.end() :]
    return b"\n".join(lines)


def batches(muts: Sequence[Mutation]) -> list[list[Mutation]]:
    """Groups of mutations that cannot interact: one per class, mutated classes unrelated by
    inheritance, and no two files with the same module name (``check_files`` keys by it)."""
    remaining = list(muts)
    out: list[list[Mutation]] = []
    while remaining:
        batch: list[Mutation] = []
        module_file: dict[str, str] = {}
        sites: list[Site] = []
        rest: list[Mutation] = []
        for m in remaining:
            s = m.site
            module = s.module or s.rel
            clash = module_file.get(module, s.rel) != s.rel or any(
                s.class_key in o.mro_keys or o.class_key in s.mro_keys for o in sites
            )
            if clash:
                rest.append(m)
                continue
            batch.append(m)
            module_file[module] = s.rel
            sites.append(s)
        out.append(batch)
        remaining = rest
    return out


def project_summaries(folder: str) -> list[ModuleSummary]:
    """The summary of every file of a project (what a whole-project run's evidence pass
    reads: names indexes and imports)."""
    out: list[ModuleSummary] = []
    for path in py_files(folder):
        _, module, is_package = module_name_for(path)
        try:
            with open(path, "rb") as f:
                out.append(summarise(f.read(), path=path, module=module, is_package=is_package))
        except (OSError, SourceError):
            continue
    return out


def used_in_project(summaries: Sequence[ModuleSummary], name: str, module: str) -> bool:
    """Whether a file importing ``module`` uses ``name`` (as ``lint.evidence`` decides)."""
    if imports_module is None:  # an older engine: the module's own evidence only
        return False
    return any(_uses(s.names, name) and imports_module(s, module) for s in summaries)


def run_project(root: str, muts: Sequence[Mutation]) -> list[Outcome]:
    """Apply ``muts`` (all in project ``root``) batch by batch to a copy and lint."""
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="oc-seeded-") as tmp:
        copy = os.path.join(tmp, os.path.basename(root.rstrip(os.sep)))
        _copy_tree(root, copy)
        summaries = project_summaries(copy)

        for batch in batches(muts):
            originals: dict[str, bytes] = {}
            try:
                for m in batch:
                    path = os.path.join(copy, m.site.rel)
                    if path not in originals:
                        with open(path, "rb") as f:
                            originals[path] = f.read()
                    with open(path, "rb") as f:
                        data = f.read()
                    mutated = _rename_def(data, m.site.line, m.site.method, m.typo)
                    with open(path, "wb") as f:
                        f.write(mutated)
                result = check_files(sorted(originals))
            finally:
                for path, data in originals.items():
                    with open(path, "wb") as f:
                        f.write(data)
            found = {
                (os.path.relpath(d.path, copy), d.line): d
                for d in result.diagnostics
                if d.code in ("OC101", "OC102")
            }
            for m in batch:
                d = found.get((m.site.rel, m.site.line))
                if (
                    d is not None
                    and d.code in EVIDENCE_CODES
                    and used_in_project(summaries, m.typo, m.site.module)
                ):
                    d = None  # a whole-project run drops it: another file uses the name
                outcomes.append(
                    Outcome(m, d is not None, d.suggestion if d else None, d.message if d else "")
                )
    return outcomes


def _dual_naming(names: Iterable[str]) -> bool:
    """Like the engine's check: some names are spelt two ways (``onJoin``, ``on_join``)."""
    seen: dict[tuple[int, str], str] = {}
    for n in names:
        if not n.startswith("__") and seen.setdefault(variant_key(n), n) != n:
            return True
    return False


def _word_diff(typo: str, name: str) -> str:
    a, b = words(typo), words(name)
    if len(a) != len(b):
        return f"words {a} vs {b} (a word added/dropped)"
    for x, y in zip(a, b):
        if x == y:
            continue
        if x[0] != y[0]:
            return f"word `{x}` vs `{y}`: first letter differs"
        if min(len(x), len(y)) <= 3:
            return f"word `{x}` vs `{y}`: a word of <= 3 letters tolerates only transpositions"
        return f"word `{x}` vs `{y}`"
    return f"words {a} vs {b}"


def _mentioned(site: Site, name: str) -> bool:
    """Whether the module uses ``name`` through ``self`` or by string (as OC101 reads it), or
    a file of the project importing it uses it (as the evidence pass does)."""
    summaries = project_summaries(site.root)
    own = [s for s in summaries if os.path.relpath(s.path, site.root) == site.rel]
    if any(s.names.mentions(name, through_self=True) for s in own):
        return True
    return used_in_project(summaries, name, site.module)


def _uses(index: NamesIndex, name: str) -> bool:
    in_use = getattr(index, "in_use", None)  # older engines: the module's own evidence only
    return bool(in_use(name)) if in_use is not None else False


def explain(o: Outcome) -> str:
    """Why a typo was missed or got the wrong first suggestion (for the engine's author)."""
    m, s = o.mutation, o.mutation.site
    matches = rank(m.typo, [c for c in s.candidates if c != m.typo])
    ranked = ", ".join(f"{x.name}(d={x.distance},raw={x.raw_distance})" for x in matches[:3])
    if o.detected:
        return f"suggested `{o.suggestion}`; rank(): {ranked or 'nothing'}"
    if not matches:
        return f"rank() rejects `{m.typo}` for `{s.method}`: {_word_diff(m.typo, s.method)}"
    if matches[0].name != s.method:
        return f"not reported; rank(): {ranked}"
    if matches[0].exact_variant and _dual_naming(s.candidates):
        return "not reported: the hierarchy spells some names two ways (dual naming)"
    if _mentioned(s, m.typo):
        return (
            f"not reported: the project uses `.{m.typo}`, '{m.typo}' or callRemote"
            f"('{m.typo}'), so the engine takes the name for one in use"
        )
    return f"not reported; rank(): {ranked}"


# -- report ------------------------------------------------------------------------------


def _pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:5.1f}%" if b else "    -"


def _row(label: str, outs: Sequence[Outcome]) -> str:
    n = len(outs)
    det = sum(o.detected for o in outs)
    first = sum(o.first_ok for o in outs)
    via = [o for o in outs if o.mutation.site.via_module]
    vdet = sum(o.detected for o in via)
    vfirst = sum(o.first_ok for o in via)
    return (
        f"{label:<24}{n:>6}{det:>6} {_pct(det, n)}{first:>6} {_pct(first, n)}"
        f"{len(via):>7}{vdet:>6} {_pct(vdet, len(via))}{vfirst:>6} {_pct(vfirst, len(via))}"
    )


HEADER = (
    f"{'':<24}{'seeded':>6}{'det':>6} {'recall':>6}{'1st':>6} {'1st ok':>6}"
    f"{'via-m':>7}{'det':>6} {'recall':>6}{'1st':>6} {'1st ok':>6}"
)


def kind_recalls(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """Recall of each counted kind that was seeded."""
    out: dict[str, float] = {}
    for kind in KINDS:
        outs = [o for o in outcomes if o.mutation.kind == kind]
        if outs:
            out[kind] = sum(o.detected for o in outs) / len(outs)
    return out


def report(outcomes: Sequence[Outcome], out: list[str]) -> tuple[float, float]:
    counted = [o for o in outcomes if o.mutation.kind in KINDS]
    out.append(HEADER)
    out.append("-" * len(HEADER))
    for kind in (*KINDS, *INFO_KINDS):
        outs = [o for o in outcomes if o.mutation.kind == kind]
        label = kind if kind in KINDS else f"({kind}, info)"
        out.append(_row(label, outs))
    out.append("-" * len(HEADER))
    for project in sorted({o.mutation.site.project for o in outcomes}):
        out.append(_row(project, [o for o in counted if o.mutation.site.project == project]))
    out.append("-" * len(HEADER))
    out.append(_row("TOTAL (counted kinds)", counted))
    out.append(_row("all kinds incl. info", outcomes))
    n = len(counted)
    recall = sum(o.detected for o in counted) / n if n else 0.0
    first = sum(o.first_ok for o in counted) / n if n else 0.0
    return recall, first


def misses(outcomes: Sequence[Outcome]) -> list[str]:
    lines = []
    for o in outcomes:
        if o.first_ok:
            continue
        m, s = o.mutation, o.mutation.site
        tag = "" if m.kind in KINDS else " [info]"
        lines.append(
            f"{s.project}: {s.rel}:{s.line} {s.cls}.{s.method} -> {m.typo} ({m.kind}{tag}"
            f"{', via module' if s.via_module else ''}; owner {s.owner}): {explain(o)}"
        )
    return lines


# -- main --------------------------------------------------------------------------------


def default_corpus() -> str:
    env = os.environ.get("OC_CORPUS")
    if env:
        return os.path.join(env, "src")
    if os.path.isfile(GET_CORPUS):
        try:
            got = subprocess.run(
                ["bash", GET_CORPUS], capture_output=True, text=True, check=True, timeout=1800
            )
            lines = got.stdout.strip().splitlines()
            if lines:
                return lines[-1]
        except (OSError, subprocess.SubprocessError):
            pass
    return os.path.expanduser("~/.cache/overridecheck-corpus/src")


def corpus_projects(corpus: str) -> list[tuple[str, str, list[str]]]:
    """(label, root, files) per project; Twisted's ``src`` and ``docs`` are separate labels."""
    out = []
    for name in sorted(os.listdir(corpus)):
        root = os.path.join(corpus, name)
        if not os.path.isdir(root):
            continue
        if name == "twisted":
            src = os.path.join(root, "src")
            docs = os.path.join(root, "docs")
            out.append(("twisted", root, py_files(src) if os.path.isdir(src) else []))
            out.append(("twisted-docs", root, py_files(docs) if os.path.isdir(docs) else []))
        else:
            out.append((name, root, py_files(root)))
    return [p for p in out if p[2]]


def _scan_job(args: tuple[str, str, list[str], list[str]]) -> Scan:
    return find_sites(*args)


def _run_job(args: tuple[str, list[Mutation]]) -> list[Outcome]:
    return run_project(*args)


def evaluate(
    projects: Sequence[tuple[str, str, list[str]]],
    *,
    sites: Optional[int],
    seed: int,
    jobs: int = 1,
) -> tuple[list[Outcome], Scan, Counter[str], int]:
    """Scan, sample (all sites when ``sites`` is None), seed typos and lint.

    Returns the outcomes, the full scan, the skipped typos and the number of sites sampled.
    """
    search_path = default_search_path(None)
    jobs_scan = [(label, root, files, search_path) for label, root, files in projects]
    scan = Scan()
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            scans = list(pool.map(_scan_job, jobs_scan))
    else:
        scans = [_scan_job(j) for j in jobs_scan]
    for sc in scans:
        scan.sites.extend(sc.sites)
        scan.excluded.update(sc.excluded)
    chosen = list(scan.sites) if sites is None else sample(scan.sites, sites, seed)
    skipped: Counter[str] = Counter()
    muts = mutations(chosen, seed, skipped)
    by_project: dict[tuple[str, str], list[Mutation]] = defaultdict(list)
    for m in muts:
        by_project[m.site.project, m.site.root].append(m)
    work = [(root, by_project[p, root]) for p, root in sorted(by_project)]
    outcomes: list[Outcome] = []
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            for outs in pool.map(_run_job, work):
                outcomes.extend(outs)
    else:
        for w in work:
            outcomes.extend(_run_job(w))
    return outcomes, scan, skipped, len(chosen)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("corpus", nargs="?", help="folder with one sub-folder per project")
    ap.add_argument("--sites", type=int, default=400, help="sites to sample (default 400)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1), help="processes")
    ap.add_argument("--all-sites", action="store_true", help="use every site, no sampling")
    args = ap.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if not os.path.isdir(corpus):
        print(f"corpus folder not found: {corpus}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    projects = corpus_projects(corpus)
    outcomes, scan, skipped, n_sites = evaluate(
        projects, sites=None if args.all_sites else args.sites, seed=args.seed, jobs=args.jobs
    )
    lines: list[str] = []
    via_all = sum(s.via_module for s in scan.sites)
    per_project = Counter(s.project for s in scan.sites)
    lines.append(f"corpus: {corpus}")
    lines.append(
        f"sites found: {len(scan.sites)} ({via_all} via module) — "
        + ", ".join(f"{p} {n}" for p, n in sorted(per_project.items()))
    )
    for reason, n in scan.excluded.most_common():
        lines.append(f"  not sampled: {n:>5}  {reason}")
    lines.append(f"sites sampled: {n_sites} (seed {args.seed}); typos seeded: {len(outcomes)}")
    for reason, n in sorted(skipped.items()):
        lines.append(f"  typo skipped: {n:>5}  {reason}")
    lines.append("")
    recall, first = report(outcomes, lines)
    lines.append("")
    bad = misses(outcomes)
    lines.append(f"misses / wrong first suggestion ({len(bad)}):")
    lines.extend(f"  {b}" for b in bad)
    lines.append("")
    per_kind = kind_recalls(outcomes)
    low = {k: r for k, r in per_kind.items() if r < THRESHOLD}
    ok = recall >= TOTAL_THRESHOLD and first >= TOTAL_THRESHOLD and not low
    lines.append(
        f"recall {100 * recall:.1f}%, first suggestion {100 * first:.1f}% "
        f"(threshold {100 * TOTAL_THRESHOLD:.0f}%); lowest kind "
        + (
            f"{min(per_kind, key=per_kind.__getitem__)} {100 * min(per_kind.values()):.1f}%"
            if per_kind
            else "-"
        )
        + f" (threshold {100 * THRESHOLD:.0f}%): {'PASS' if ok else 'FAIL'}"
        f"  [{time.perf_counter() - t0:.1f}s]"
    )
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
