"""Seeded handler typos: are misspelled prefix-dispatched handlers caught?  (A bench.)

Run:  .venv/bin/python bench/seeded_handlers.py [CORPUS_DIR] [--per-group N] [--seed S]

CORPUS_DIR holds one folder per project (default ``~/.cache/overridecheck-corpus/src``).

1. *Sites.*  Every project is summarised and resolved with the engine's own resolver.  A site
   is a real definition in a class whose resolved MRO contains a dispatching base: a valid
   handler of a dispatch convention (``render_GET`` on a Twisted ``Resource``, ``irc_PRIVMSG``,
   ``ftp_``, ``do_``, ``visit_``...; see ``overridecheck.lint.conventions``), ``setUp``/
   ``tearDown`` of a ``unittest``/trial test case, or a ``test_*`` method there.
2. *Typos.*  Per site, one realistic typo per kind: for handlers the suffix in lower case
   (``render_get``), capitalised (``render_Get``), two adjacent letters swapped
   (``render_GTE``) and, for suffixes of 5 letters or more, one inner letter dropped
   (``irc_PRIVMG``); for ``setUp``/``tearDown`` all lower case, first letter's case flipped and
   a swap (``tearDwon``); for tests a misspelled prefix (``tset_``, ``Test_``).  A typo that is
   another valid name or a name the class already has is skipped.
3. *Check.*  The mutated module is written to a temporary file, summarised under its real
   module name (so relative imports and bases resolve as before) and checked with OC101 and
   OC104.  A typo is *detected* when either reports its ``def`` line, *right* when the first
   suggestion is the original name.

Groups are sampled with a fixed seed (``--per-group`` sites per group and project).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from overridecheck._conventions_data import CONVENTIONS, TEST_CASE_BASES
from overridecheck.lint.checks import check_module
from overridecheck.lint.findings import ancestor_keys
from overridecheck.lint.model import ModuleSummary
from overridecheck.lint.modules import ModuleFinder, default_search_path, module_name_for
from overridecheck.lint.resolve import ClassInfo, Resolver
from overridecheck.lint.ruledef import Context
from overridecheck.lint.rules.misspelled_handler import known_suffixes
from overridecheck.lint.summarise import SourceError, summarise

THRESHOLD = 0.90
SELECT = frozenset({"OC101", "OC104"})
HOOKS = ("setUp", "tearDown")


@dataclass(frozen=True)
class Site:
    project: str
    path: str
    module: str
    is_package: bool
    cls: str
    line: int
    name: str
    group: str  # "render_", "irc_", ..., "setUp/tearDown", "test"
    prefix: str


@dataclass(frozen=True)
class Outcome:
    site: Site
    kind: str
    typo: str
    detected: bool
    right: bool
    got: Optional[str]
    code: Optional[str] = None


class _Loader:
    """Summaries by path, shared by every resolver of a run (each file parsed once)."""

    def __init__(self) -> None:
        self.cache: dict[str, Optional[ModuleSummary]] = {}

    def __call__(self, path: str, name: str, is_package: bool) -> Optional[ModuleSummary]:
        if path not in self.cache:
            try:
                with open(path, "rb") as f:
                    data = f.read()
                self.cache[path] = summarise(data, path=path, module=name, is_package=is_package)
            except (OSError, SourceError):
                self.cache[path] = None
        return self.cache[path]


def py_files(folder: str) -> list[str]:
    out: list[str] = []
    for d, dirs, files in os.walk(folder):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        out.extend(os.path.join(d, f) for f in sorted(files) if f.endswith(".py"))
    return out


def _sites_of(project: str, info: ClassInfo, resolver: Resolver) -> list[Site]:
    keys = ancestor_keys(info)
    mod = info.module
    sites: list[Site] = []
    counts = Counter(fn.name for fn in info.summary.methods)
    inherited = info.inherited()

    def add(name: str, line: int, group: str, prefix: str) -> None:
        sites.append(
            Site(
                project,
                mod.path,
                mod.module,
                mod.is_package,
                info.summary.qualname,
                line,
                name,
                group,
                prefix,
            )
        )

    for fn in info.summary.methods:
        if counts[fn.name] != 1:
            continue
        for c in CONVENTIONS:
            if not any(b in keys for b in c.bases):
                continue
            for prefix in c.prefixes:
                suffix = fn.name[len(prefix) :]
                if fn.name.startswith(prefix) and suffix in known_suffixes(
                    c, Context(resolver, SELECT)
                ) | {n[len(prefix) :] for n in inherited if n.startswith(prefix)}:
                    add(fn.name, fn.line, prefix, prefix)
        if not keys.isdisjoint(TEST_CASE_BASES):
            if fn.name in HOOKS:
                add(fn.name, fn.line, "setUp/tearDown", "")
            elif fn.name.startswith("test_") and len(fn.name) > 6:
                add(fn.name, fn.line, "test", "test")
    return sites


def find_sites(project: str, files: Sequence[str], loader: _Loader) -> tuple[list[Site], list[str]]:
    roots: list[str] = []
    summaries: list[ModuleSummary] = []
    for path in files:
        root, module, is_package = module_name_for(path)
        if root not in roots:
            roots.append(root)
        s = loader(path, module, is_package)
        if s is not None and s.module:
            summaries.append(s)
    finder = ModuleFinder([*roots, *default_search_path(None)])
    resolver = Resolver(finder, {s.module: s for s in summaries}, loader=loader)
    sites: list[Site] = []
    for s in summaries:
        for info in resolver.classes(s):
            if info.complete and not info.is_interface:
                sites.extend(_sites_of(project, info, resolver))
    return sites, roots


def _swap(core: str, rng: random.Random) -> Optional[str]:
    """Two adjacent letters swapped inside a word, neither the word's first (``tearDwon``)."""

    def starts_word(i: int) -> bool:
        return i == 0 or (core[i].isupper() and core[i - 1].islower()) or core[i - 1] == "_"

    pairs = [
        i
        for i in range(1, len(core) - 1)
        if core[i].isalpha()
        and core[i + 1].isalpha()
        and core[i] != core[i + 1]
        and not starts_word(i)
        and not starts_word(i + 1)
    ]
    if not pairs:
        return None
    i = pairs[rng.randrange(len(pairs))]
    return core[:i] + core[i + 1] + core[i] + core[i + 2 :]


def typos(site: Site, rng: random.Random) -> dict[str, str]:
    """One typo per applicable kind."""
    out: dict[str, Optional[str]] = {}
    if site.group == "test":
        rest = site.name[len("test") :]
        out["prefix tset"] = "tset" + rest
        out["prefix Test"] = "Test" + rest
    elif site.group == "setUp/tearDown":
        n = site.name
        out["all-lower"] = n.lower()
        out["case-first"] = n[0].upper() + n[1:]
        out["transposition"] = _swap(n, rng)
    else:
        p, suffix = site.prefix, site.name[len(site.prefix) :]
        head, sep, tail = suffix.partition("_")  # irc_RPL_WELCOME: change the last word
        word = tail if sep and head in ("RPL", "ERR") else suffix
        keep = suffix[: len(suffix) - len(word)]
        out["lower"] = p + keep + word.lower()
        out["capitalised"] = p + keep + word[:1] + word[1:].lower()
        swapped = _swap(word, rng)
        out["transposition"] = None if swapped is None else p + keep + swapped
        if len(word) >= 5 and word.isalpha():
            i = rng.randrange(1, len(word) - 1)
            out["deletion"] = p + keep + word[:i] + word[i + 1 :]
        stem = p.rstrip("_")
        if len(stem) >= 4:  # typos in the prefix itself: `rendr_GET`, `renderGET`
            i = rng.randrange(1, len(stem) - 1)
            out["prefix deletion"] = stem[:i] + stem[i + 1 :] + p[len(stem) :] + suffix
            out["prefix no underscore"] = stem + suffix
    return {k: v for k, v in out.items() if v is not None and v != site.name}


def _mutate(text: str, line: int, old: str, new: str) -> Optional[str]:
    lines = text.splitlines(keepends=True)
    target = lines[line - 1]
    changed = re.sub(rf"\bdef(\s+){re.escape(old)}\b", rf"def\g<1>{new}", target, count=1)
    if changed == target:
        return None
    lines[line - 1] = changed
    return "".join(lines)


def run_sites(
    sites: Sequence[Site], roots: Sequence[str], loader: _Loader, seed: int
) -> list[Outcome]:
    finder = ModuleFinder([*roots, *default_search_path(None)])
    outcomes: list[Outcome] = []
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        for n, site in enumerate(sites):
            with open(site.path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for kind, typo in sorted(typos(site, rng).items()):
                mutated = _mutate(text, site.line, site.name, typo)
                if mutated is None:
                    continue
                if re.search(rf"\bdef\s+{re.escape(typo)}\b", text):
                    continue  # the typo is another name the module already defines
                path = os.path.join(tmp, f"m{n}_{len(outcomes)}.py")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(mutated)
                try:
                    mod = summarise(
                        mutated.encode("utf-8"),
                        path=path,
                        module=site.module,
                        is_package=site.is_package,
                    )
                except SourceError:
                    continue
                resolver = Resolver(finder, {site.module: mod}, loader=loader)
                hits = [
                    d for d in check_module(Context(resolver, SELECT), mod) if d.line == site.line
                ]
                got = hits[0].suggestion if hits else None
                code = hits[0].code if hits else None
                outcomes.append(Outcome(site, kind, typo, bool(hits), got == site.name, got, code))
                os.unlink(path)
    return outcomes


def sample(sites: Sequence[Site], per_group: int, seed: int) -> list[Site]:
    by: dict[tuple[str, str], list[Site]] = defaultdict(list)
    for s in sites:
        by[(s.project, s.group)].append(s)
    rng = random.Random(seed)
    out: list[Site] = []
    for key in sorted(by):
        group = by[key]
        out.extend(group if len(group) <= per_group else rng.sample(group, per_group))
    return out


def report(outcomes: Sequence[Outcome]) -> list[str]:
    rows: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        rows[f"{o.site.group} / {o.kind}"].append(o)
        rows[f"{o.site.group} (all)"].append(o)
    lines = [f"{'group / typo kind':34} {'n':>5} {'detected':>9} {'right':>7}"]
    for key in sorted(rows):
        outs = rows[key]
        n = len(outs)
        det = sum(o.detected for o in outs) / n
        right = sum(o.right for o in outs) / n
        lines.append(f"{key:34} {n:5d} {det:9.1%} {right:7.1%}")
    n = len(outcomes)
    if n:
        det = sum(o.detected for o in outcomes) / n
        right = sum(o.right for o in outcomes) / n
        lines.append(f"{'TOTAL':34} {n:5d} {det:9.1%} {right:7.1%}")
    return lines


def misses(outcomes: Sequence[Outcome]) -> list[str]:
    return [
        f"  {o.site.project} {o.site.cls}.{o.site.name} -> {o.typo} ({o.kind}): got {o.got}"
        for o in outcomes
        if not o.right
    ]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="~/.cache/overridecheck-corpus/src")
    parser.add_argument("--per-group", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args(argv)
    corpus = os.path.expanduser(args.corpus)
    loader = _Loader()
    everything: list[Outcome] = []
    start = time.perf_counter()
    for project in sorted(os.listdir(corpus)):
        folder = os.path.join(corpus, project)
        if not os.path.isdir(folder):
            continue
        sites, roots = find_sites(project, py_files(folder), loader)
        chosen = sample(sites, args.per_group, args.seed)
        outcomes = run_sites(chosen, roots, loader, args.seed)
        groups = Counter(s.group for s in sites)
        print(f"== {project}: {len(sites)} sites {dict(groups)}; {len(outcomes)} typos checked")
        everything.extend(outcomes)
    print()
    print("\n".join(report(everything)))
    by_code = Counter((o.site.group, o.code) for o in everything if o.detected)
    print("\nreported by: " + ", ".join(f"{g} {c}: {n}" for (g, c), n in sorted(by_code.items())))
    bad = misses(everything)
    if bad:
        print("\nnot right:")
        print("\n".join(bad))
    n = len(everything)
    det = sum(o.detected for o in everything) / n if n else 0.0
    right = sum(o.right for o in everything) / n if n else 0.0
    print(f"\n{time.perf_counter() - start:.1f}s; threshold {THRESHOLD:.0%}")
    return 0 if det >= THRESHOLD and right >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
