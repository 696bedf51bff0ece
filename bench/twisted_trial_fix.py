"""Seeded hook typos in a copy of Twisted, ``overridecheck --fix``, Twisted's trial.  (A bench.)

Run:  .venv/bin/python bench/twisted_trial_fix.py [--twisted PATH] [--python PY] [--typos N]
          [--seed S] [--unsafe-fixes] [--per-seed] [--seeded-timeout SECONDS] [--keep]

``--twisted`` is a Twisted source tree (a checkout or sdist holding ``src/twisted``, its ``src``,
or the ``twisted`` package itself); by default the corpus's (``$OC_CORPUS/src``, else what
``../shared/corpus/get-corpus.sh`` prints, else ``~/.cache/overridecheck-corpus/src``, then
``twisted/src``).  ``--python`` is the interpreter that runs trial and whose installed packages
overridecheck resolves (``--python`` of overridecheck too); it needs Twisted's dependencies, and
its test extras for the whole suite to run, e.g. ``python -m venv V &&
V/bin/pip install 'twisted[test,tls,http2,websocket]==26.10.0'`` (default: this interpreter).

1. *Pristine.*  Twisted's ``src`` is copied to a temporary folder, ``git init``-ed and committed.
   Trial runs there with ``PYTHONPATH=<copy>/src`` (checked: ``twisted.__file__`` is the
   copy's), as ``python -m twisted.trial --reporter=oc-bench twisted.protocols twisted.web``:
   the reporter, a drop-in plugin outside the copy, prints what ``bwverbose`` prints and
   records every test's results (passed, failed, error, skipped, expected-failure,
   unexpected-success) by test id.  The same ``overridecheck --fix`` on the pristine copy
   gives the *baseline*: fixes Twisted's own code already gets (two real upstream typos in
   26.10.0, outside the seeded folders), committed on a side branch to compare with.
2. *Seeds.*  The tree is resolved with the engine's :class:`Resolver`.  A *site* is a method of
   a complete, non-interface class in ``twisted/protocols`` or ``twisted/web`` (tests included)
   that overrides a hook: a name a base class or an implemented interface provides, where the
   first base defining it does so with a trivial body (docstring, ``pass``, ``...``, bare
   ``return``, ``raise NotImplementedError``: judged here from the base's own syntax tree) or
   only an interface declares it, or a ``render_<METHOD>`` handler of a ``Resource`` that no
   base defines.  Sites are grouped as ``test`` (``setUp``/``tearDown``), ``protocol``
   (protocol and factory callbacks), ``render`` and ``other``; names the first defining base
   implements for real (``getChild``, ``buildProtocol``) are *concrete*: renaming onto them
   changes what their callers run, which the linter offers only as an unsafe fix, so they are
   seeded only with ``--unsafe-fixes``.  ``--typos`` sites (default 60) are drawn with
   ``--seed``, round robin over the groups, one per class, no two in classes related by
   inheritance; each gets one typo of the kinds of ``seeded_typos.py`` (deletion,
   transposition, doubled, keyboard, case-first, all-lower, snake_case, ie/ei; the least used
   kind that applies), only its ``def`` renamed.  A typo is rejected when it is a name the
   class, its bases or interfaces have, a special method, or any word of any ``.py`` file of
   the tree (a reference would rightly make the fix unsafe), and a site whose class body itself
   uses the name (``render_HEAD = render_GET``: renaming the ``def`` alone breaks the import,
   no silent typo) is left out, and so is a site whose fix a subclass in the tree makes rightly
   unsafe (the subclass, or a class before it in its MRO, defines the name, so its ``super()``
   would reach another method; it gets the name from another base; or one of its bases is
   unknown: see ``lint.hierarchy``), decided here from the MROs.  The seeded state is committed
   and trial runs again, with a per-test timeout of ``--seeded-timeout`` (3 s; the pristine
   suite's slowest test takes about 1.5 s): a seed can leave a test waiting for what never
   comes, and trial's own 120 s per such test make the run last half an hour.
3. *Fix.*  ``python -m overridecheck --fix --no-cache --python PY src/twisted`` runs in the
   copy (the whole tree: every reference is seen), after a ``--format json`` report of the
   seeded tree that says which seeds are found and how safe their fix is.  Each seed is
   *reverted* when its ``def`` line is the pristine one again; every line of ``git diff`` from
   the baseline to the fixed tree must be a seed left unreverted (any other is an edit that is
   not a seeded revert).
4. *Trial* runs a third time (trial's own timeouts); each test's results must equal the
   pristine run's.  A test whose outcome differs is run again, 3 times in each tree: the
   difference counts when the outcome its reruns give most often differs between the trees
   (a timing-sensitive test on a loaded machine, such as a Hypothesis health check, may fail
   once in either).

With ``--per-seed``, trial also runs once per seed on the pristine tree with that seed alone,
to count the seeds that change some test's outcome (slow: one suite per seed).

Prints a markdown summary.  Exits 1 when fewer than 40 typos could be seeded, a seed is not
reverted, an edit is not a seeded revert (a baseline fix aside), or a test's outcome differs
from the pristine run and its reruns confirm it.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from seeded_typos import KINDS, _rename_def, typos

from overridecheck._names import SPECIAL_METHODS
from overridecheck.lint.model import ModuleSummary
from overridecheck.lint.modules import ModuleFinder, default_search_path, module_name_for
from overridecheck.lint.resolve import ClassInfo, Resolver
from overridecheck.lint.summarise import SourceError, summarise

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MIN_SEEDS = 40
RERUNS = 3  # runs of each differing test in each tree
AREAS = ("twisted/protocols/", "twisted/web/")
TRIAL_MODULES = ("twisted.protocols", "twisted.web")
GROUPS = ("test", "protocol", "render", "other", "concrete")
PROTOCOL_HOOKS = frozenset(
    {
        "connectionMade",
        "connectionLost",
        "dataReceived",
        "lineReceived",
        "rawDataReceived",
        "stringReceived",
        "lineLengthExceeded",
        "lengthLimitExceeded",
        "makeConnection",
        "readConnectionLost",
        "writeConnectionLost",
        "handshakeCompleted",
        "startFactory",
        "stopFactory",
        "buildProtocol",
        "startedConnecting",
        "clientConnectionFailed",
        "clientConnectionLost",
        "doStart",
        "doStop",
    }
)
TEST_HOOKS = frozenset({"setUp", "tearDown", "setUpClass", "tearDownClass"})
# the methods of RFC 9110 (and PATCH): `render_HEH` in Twisted's tests is a deliberately
# unknown method, not a handler anyone could mean
HTTP_METHODS = frozenset("GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH".split())
# worst first: the one status a test is counted under in the totals
STATUSES = ("error", "failed", "unexpected-success", "skipped", "expected-failure", "passed")

# -- the reporter ---------------------------------------------------------------------------

REPORTER_MODULE = "oc_bench_trial_reporter"
REPORTER_SOURCE = textwrap.dedent(
    '''\
    """Trial's bwverbose output, and each result as a JSON line in $OC_TRIAL_RESULTS:
    [test id, status, seconds since the test started]."""
    import json
    import os
    import time

    from twisted.trial import util
    from twisted.trial.reporter import VerboseTextReporter

    if os.environ.get("OC_TRIAL_TIMEOUT"):  # tests that set none (trial's default: 120 s)
        util.DEFAULT_TIMEOUT_DURATION = float(os.environ["OC_TRIAL_TIMEOUT"])


    class JSONLinesReporter(VerboseTextReporter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._results = open(os.environ["OC_TRIAL_RESULTS"], "a", encoding="utf-8")
            self._started = {}

        def startTest(self, test):
            super().startTest(test)
            self._started[test.id()] = time.monotonic()

        def _record(self, test, status):
            began = self._started.get(test.id())
            took = round(time.monotonic() - began, 3) if began is not None else None
            self._results.write(json.dumps([test.id(), status, took]) + "\\n")
            self._results.flush()

        def addSuccess(self, test):
            super().addSuccess(test)
            self._record(test, "passed")

        def addFailure(self, test, fail):
            super().addFailure(test, fail)
            self._record(test, "failed")

        def addError(self, test, error):
            super().addError(test, error)
            self._record(test, "error")

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            self._record(test, "skipped")

        def addExpectedFailure(self, test, error, todo=None):
            super().addExpectedFailure(test, error, todo)
            self._record(test, "expected-failure")

        def addUnexpectedSuccess(self, test, todo=None):
            super().addUnexpectedSuccess(test, todo)
            self._record(test, "unexpected-success")
    '''
)
PLUGIN_SOURCE = textwrap.dedent(
    f"""\
    from zope.interface import implementer

    from twisted.plugin import IPlugin
    from twisted.trial.itrial import IReporter


    @implementer(IPlugin, IReporter)
    class _BenchReporter:
        name = "overridecheck bench"
        module = {REPORTER_MODULE!r}
        description = "bwverbose, and every result recorded as JSON lines"
        longOpt = "oc-bench"
        shortOpt = None
        klass = "JSONLinesReporter"


    ocBench = _BenchReporter()
    """
)


def write_reporter(folder: str) -> None:
    """A drop-in plugin folder (``twisted/plugins`` without ``__init__``) and its module."""
    plugins = os.path.join(folder, "twisted", "plugins")
    os.makedirs(plugins, exist_ok=True)
    with open(os.path.join(folder, f"{REPORTER_MODULE}.py"), "w", encoding="utf-8") as f:
        f.write(REPORTER_SOURCE)
    with open(os.path.join(plugins, "oc_bench_trial.py"), "w", encoding="utf-8") as f:
        f.write(PLUGIN_SOURCE)


# -- trial results ----------------------------------------------------------------------------


def collect_outcomes(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each test id's results (sorted: a test may get several, e.g. a failure and an error)."""
    got: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        line = line.strip()
        if line:
            test, status = json.loads(line)[:2]
            got[test].append(status)
    return {t: tuple(sorted(s)) for t, s in got.items()}


def slow_tests(lines: Iterable[str], at_least: float) -> list[tuple[str, float]]:
    """The tests whose result came ``at_least`` seconds after they started, slowest first."""
    out: dict[str, float] = {}
    for line in lines:
        row = json.loads(line) if line.strip() else []
        if len(row) > 2 and row[2] is not None and row[2] >= at_least:
            out[row[0]] = max(out.get(row[0], 0.0), float(row[2]))
    return sorted(out.items(), key=lambda x: (-x[1], x[0]))


def worst(results: Sequence[str]) -> str:
    return min(results, key=STATUSES.index)


def tally(outcomes: Mapping[str, Sequence[str]]) -> Counter[str]:
    """Tests per status, each test counted once under its worst result."""
    return Counter(worst(r) for r in outcomes.values())


def compare(
    before: Mapping[str, tuple[str, ...]], after: Mapping[str, tuple[str, ...]]
) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The tests whose results differ, with both (``()`` for a test one run did not have)."""
    return [
        (t, before.get(t, ()), after.get(t, ()))
        for t in sorted(set(before) | set(after))
        if before.get(t, ()) != after.get(t, ())
    ]


def most_common(outcomes: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The outcome seen most often (the first of the most frequent, for ties)."""
    counts = Counter(outcomes)
    return max(outcomes, key=lambda o: counts[o]) if outcomes else ()


def confirmed(
    pristine_reruns: Sequence[tuple[str, ...]], fixed_reruns: Sequence[tuple[str, ...]]
) -> bool:
    """Whether a test's difference holds up: the outcome its reruns give most often differs
    between the trees.  Otherwise the first runs differed by chance (a timing-sensitive test
    on a loaded machine, such as a Hypothesis health check)."""
    return most_common(pristine_reruns) != most_common(fixed_reruns)


def transitions(diffs: Sequence[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> Counter[str]:
    def label(r: tuple[str, ...]) -> str:
        return worst(r) if r else "absent"

    return Counter(f"{label(a)} -> {label(b)}" for _, a, b in diffs)


@dataclass
class TrialRun:
    label: str
    outcomes: dict[str, tuple[str, ...]]
    returncode: int
    seconds: float
    summary: str  # trial's last line ("FAILED (skips=4, failures=1, successes=1695)")
    log: str
    slow: list[tuple[str, float]] = field(default_factory=list)  # tests of 2.5 s or more

    @property
    def counts(self) -> Counter[str]:
        return tally(self.outcomes)


def trial_env(
    python_path: Sequence[str], results: str, timeout: Optional[float] = None
) -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTHONHOME", "OC_TRIAL_TIMEOUT")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        PYTHONPATH=os.pathsep.join(python_path),
        PYTHONDONTWRITEBYTECODE="1",
        OC_TRIAL_RESULTS=results,
    )
    if timeout is not None:
        env["OC_TRIAL_TIMEOUT"] = str(timeout)
    return env


def imported_twisted(python: str, src: str, plugin_dir: str) -> str:
    env = trial_env([src, plugin_dir], os.devnull)
    got = subprocess.run(
        [python, "-c", "import twisted; print(twisted.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
        check=True,
    )
    return got.stdout.strip()


def run_trial(
    label: str,
    python: str,
    src: str,
    plugin_dir: str,
    work: str,
    timeout: Optional[float] = None,
    tests: Sequence[str] = TRIAL_MODULES,
) -> TrialRun:
    """Trial over ``tests`` with the copy's Twisted, in a folder of its own (``timeout``: the
    per-test default instead of trial's 120 s)."""
    folder = os.path.join(work, f"trial-{label}")
    os.makedirs(folder)
    results = os.path.join(folder, "results.jsonl")
    log = os.path.join(folder, "trial.log")
    cmd = [python, "-m", "twisted.trial", "--reporter=oc-bench", *tests]
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.run(
            cmd,
            cwd=folder,
            env=trial_env([src, plugin_dir], results, timeout),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=3600,
        )
    seconds = time.perf_counter() - t0
    with open(log, encoding="utf-8", errors="replace") as f:
        tail = [line.strip() for line in f.read().splitlines() if line.strip()]
    summary = tail[-1] if tail else ""
    try:
        with open(results, encoding="utf-8") as f:
            rows = f.read().splitlines()
    except FileNotFoundError:
        rows = []
    outcomes = collect_outcomes(rows)
    return TrialRun(label, outcomes, proc.returncode, seconds, summary, log, slow_tests(rows, 2.5))


# -- the copy ---------------------------------------------------------------------------------

EXCLUDE = ("__pycache__/", "*.pyc", "dropin.cache", "_trial_temp*/", ".overridecheck_cache/")


def src_dir_of(path: str) -> Optional[str]:
    """The folder holding the ``twisted`` package: ``path`` itself, its ``src``, or its parent
    when ``path`` is the package."""
    path = os.path.abspath(path)
    for candidate in (os.path.join(path, "src"), path, os.path.dirname(path)):
        if os.path.isfile(os.path.join(candidate, "twisted", "__init__.py")):
            return candidate
    return None


def default_twisted() -> str:
    return os.path.join(corpus_src(), "twisted")


def corpus_src() -> str:
    """The corpus's folder of projects: ``$OC_CORPUS/src``, else what
    ``../shared/corpus/get-corpus.sh`` prints, else ``~/.cache/overridecheck-corpus/src``."""
    env = os.environ.get("OC_CORPUS")
    corpus = os.path.join(env, "src") if env else None
    script = REPO.parent / "shared" / "corpus" / "get-corpus.sh"
    if corpus is None and script.is_file():
        try:
            got = subprocess.run(
                ["bash", str(script)], capture_output=True, text=True, check=True, timeout=1800
            )
            lines = got.stdout.strip().splitlines()
            corpus = lines[-1] if lines else None
        except (OSError, subprocess.SubprocessError):
            corpus = None
    return corpus or os.path.expanduser("~/.cache/overridecheck-corpus/src")


def git(repo: str, *args: str) -> str:
    cmd = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    cmd += ["-c", "commit.gpgsign=false", "-C", repo, *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def make_copy(src: str, dest: str) -> str:
    """Copy ``src`` (the folder holding ``twisted``) to ``dest/src`` and commit it on ``main``,
    tagged ``pristine``: the commit's id."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "dropin.cache", "_trial_temp*")
    shutil.copytree(src, os.path.join(dest, "src"), ignore=ignore, symlinks=True)
    git(dest, "init", "-q", "-b", "main")
    with open(os.path.join(dest, ".git", "info", "exclude"), "a", encoding="utf-8") as f:
        f.write("\n".join(EXCLUDE) + "\n")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "pristine")
    git(dest, "tag", "pristine")
    return git(dest, "rev-parse", "HEAD").strip()


# -- sites ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    rel: str  # relative to the copy: "src/twisted/web/test/test_web.py"
    cls: str
    method: str
    line: int
    group: str
    provider: str  # "twisted.internet.protocol.Protocol", "IProtocol", "Resource.render"
    class_key: tuple[str, str]
    mro_keys: frozenset[tuple[str, str]]
    taken: frozenset[str]


@dataclass(frozen=True)
class Seed:
    site: Site
    kind: str
    typo: str


@dataclass
class Scan:
    sites: list[Site] = field(default_factory=list)
    excluded: Counter[str] = field(default_factory=Counter)
    concrete_names: Counter[str] = field(default_factory=Counter)


def _key(info: ClassInfo) -> tuple[str, str]:
    return (info.module.module or info.module.path, info.summary.qualname)


def trivial_body(body: Sequence[ast.stmt]) -> bool:
    """Docstring, ``pass``, ``...``, bare ``return``/``return None``, ``raise
    NotImplementedError``: a body meant to be overridden (decided here, not by the engine)."""
    for stmt in body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if isinstance(stmt, ast.Return) and (
            stmt.value is None
            or (isinstance(stmt.value, ast.Constant) and stmt.value.value is None)
        ):
            continue
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                continue
        return False
    return True


class _Trees:
    """Syntax trees of the files classes live in: their defs and classes by line."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[int, list[ast.AST]]] = {}

    def _at(self, path: str, line: int) -> list[ast.AST]:
        if path not in self.nodes:
            found: dict[int, list[ast.AST]] = defaultdict(list)
            try:
                with open(path, "rb") as f:
                    tree = ast.parse(f.read())
                for node in ast.walk(tree):
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        found[node.lineno].append(node)
            except (OSError, SyntaxError, ValueError):
                pass
            self.nodes[path] = found
        return self.nodes[path].get(line, [])

    def def_at(self, path: str, line: int) -> Optional[ast.AST]:
        return next((n for n in self._at(path, line) if not isinstance(n, ast.ClassDef)), None)

    def class_at(self, path: str, line: int) -> Optional[ast.ClassDef]:
        return next((n for n in self._at(path, line) if isinstance(n, ast.ClassDef)), None)


def class_scope_names(node: ast.ClassDef) -> set[str]:
    """The bare names the class body itself evaluates (``render_HEAD = render_GET``, a
    decorator, a default value), not those inside its methods: renaming such a method's
    ``def`` alone breaks the class at import, which is no silent typo."""
    exprs: list[ast.AST] = []
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            exprs.extend(stmt.decorator_list)
            exprs.extend(d for d in (*stmt.args.defaults, *stmt.args.kw_defaults) if d)
        elif isinstance(stmt, ast.ClassDef):
            exprs.extend([*stmt.decorator_list, *stmt.bases, *stmt.keywords])
        else:
            exprs.append(stmt)
    return {
        n.id
        for e in exprs
        for n in ast.walk(e)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }


def _is_resource(info: ClassInfo) -> bool:
    return any(
        isinstance(c, ClassInfo)
        and c.module.module == "twisted.web.resource"
        and c.summary.qualname == "Resource"
        for c in info.mro
    )


def _is_test_case(info: ClassInfo) -> bool:
    return any(
        isinstance(c, ClassInfo)
        and c.module.module == "unittest.case"
        and c.summary.qualname == "TestCase"
        for c in info.mro
    )


def classify(info: ClassInfo, name: str, trees: _Trees) -> Optional[tuple[str, str]]:
    """(group, provider) of method ``name`` of ``info``, or None when it overrides nothing."""
    render = name.startswith("render_") and name[7:] in HTTP_METHODS and _is_resource(info)
    for c in info.mro[1:]:
        if not isinstance(c, ClassInfo):
            if name in getattr(c, "members", ()):
                return "concrete", getattr(c, "name", "?")
            continue
        owner = f"{c.module.module}.{c.summary.qualname}"
        fn = next((f for f in c.summary.methods if f.name == name), None)
        if fn is None:
            if name in c.summary.attributes:
                return "concrete", owner  # an attribute, not a method meant to be replaced
            continue
        node = trees.def_at(c.module.path, fn.line)
        body = getattr(node, "body", None)
        if body is None or not trivial_body(body):
            return "concrete", owner
        return _group(info, name, render), owner
    for iface in info.interfaces:
        for c in iface.mro:
            if isinstance(c, ClassInfo) and (
                name in c.summary.attributes or any(f.name == name for f in c.summary.methods)
            ):
                return _group(info, name, render), f"{c.module.module}.{c.summary.qualname}"
    if render:
        return "render", "twisted.web.resource.Resource.render (dispatch by name)"
    return None


def _group(info: ClassInfo, name: str, render: bool) -> str:
    if render:
        return "render"
    if name in TEST_HOOKS and _is_test_case(info):
        return "test"
    if name in PROTOCOL_HOOKS:
        return "protocol"
    return "other"


def _summaries(src: str) -> list[ModuleSummary]:
    out: list[ModuleSummary] = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            _, module, is_package = module_name_for(path)
            try:
                with open(path, "rb") as f:
                    out.append(summarise(f.read(), path=path, module=module, is_package=is_package))
            except (OSError, SourceError):
                continue
    return out


def find_sites(copy: str, search_path: Sequence[str]) -> Scan:
    """Every hook override of a class in ``AREAS`` of the copy's tree."""
    src = os.path.join(copy, "src")
    summaries = _summaries(src)
    finder = ModuleFinder([src, *search_path])

    def load(path: str, module: str, is_package: bool) -> Optional[ModuleSummary]:
        try:
            with open(path, "rb") as f:
                return summarise(f.read(), path=path, module=module, is_package=is_package)
        except (OSError, SourceError):
            return None

    resolver = Resolver(finder, {s.module: s for s in summaries if s.module}, load)
    trees = _Trees()
    scan = Scan()
    subclasses = subclass_index(resolver, summaries)
    for s in summaries:
        rel = os.path.relpath(s.path, copy)
        if not rel.startswith(tuple(os.path.join("src", a) for a in AREAS)):
            continue
        for info in resolver.classes(s):
            if info.is_interface:
                continue
            counts = Counter(f.name for f in info.summary.methods)
            for fn in info.summary.methods:
                if counts[fn.name] > 1:
                    if fn is next(f for f in info.summary.methods if f.name == fn.name):
                        scan.excluded["defined twice in the class"] += 1
                    continue
                got = classify(info, fn.name, trees)
                if got is None:
                    continue
                group, provider = got
                reason = _unsuitable(info, s, fn.name, fn.line, fn.decorators)
                if reason is None:
                    reason = subclass_reason(info, fn.name, subclasses.get(_key(info), ()))
                node = trees.class_at(s.path, info.summary.line)
                if reason is None and node is not None and fn.name in class_scope_names(node):
                    reason = "the class body uses the name (`render_HEAD = render_GET`)"
                if reason is not None:
                    scan.excluded[reason] += 1
                    continue
                if group == "concrete":
                    scan.concrete_names[fn.name] += 1
                taken = info.own_names() | set(info.inherited()) | set(info.interface_members())
                scan.sites.append(
                    Site(
                        rel=rel,
                        cls=info.summary.qualname,
                        method=fn.name,
                        line=fn.line,
                        group=group,
                        provider=provider,
                        class_key=_key(info),
                        mro_keys=frozenset(_key(c) for c in info.mro if isinstance(c, ClassInfo)),
                        taken=frozenset(taken),
                    )
                )
    return scan


def subclass_index(
    resolver: Resolver, summaries: Sequence[ModuleSummary]
) -> dict[tuple[str, str], list[ClassInfo]]:
    """Every class of the tree, listed under each tree class of its MRO but itself."""
    out: dict[tuple[str, str], list[ClassInfo]] = defaultdict(list)
    for s in summaries:
        for info in resolver.classes(s):
            for c in info.mro[1:]:
                if isinstance(c, ClassInfo):
                    out[_key(c)].append(info)
    return out


def _defined_by(c: object, name: str) -> bool:
    if isinstance(c, ClassInfo):
        return name in c.own_names()
    return name in getattr(c, "members", ())


def _first_definer_key(mro: Sequence[object], name: str) -> Optional[object]:
    for c in mro:
        if _defined_by(c, name):
            return _key(c) if isinstance(c, ClassInfo) else getattr(c, "name", c)
    return None


def subclass_reason(info: ClassInfo, name: str, subs: Sequence[ClassInfo]) -> Optional[str]:
    """Why seeding ``info.name`` would leave the fix rightly unsafe because of a subclass of
    ``info`` in the tree, or None.  Renaming the typo back means ``info`` defines ``name``
    again: that changes a subclass beyond ``info`` itself when the subclass (or a class before
    ``info`` in its MRO) defines ``name`` (its ``super()`` reaches another method), when it
    gets ``name`` from another class than ``info`` gets it from once the typo is there, or when
    what it gets cannot be known.  Decided here from the MROs, not by asking the linter."""
    key = _key(info)
    for sub in subs:
        if not sub.complete or sub.dynamic:
            return "a subclass in the tree has an unresolved base (the fix is rightly unsafe)"
        at = next(i for i, c in enumerate(sub.mro) if isinstance(c, ClassInfo) and _key(c) == key)
        if any(_defined_by(c, name) for c in sub.mro[:at]):
            return "a subclass in the tree defines the name (the fix is rightly unsafe)"
        if _first_definer_key(sub.mro[at + 1 :], name) != _first_definer_key(info.mro[1:], name):
            return "a subclass in the tree gets the name from another base (fix rightly unsafe)"
    return None


def _unsuitable(
    info: ClassInfo, s: ModuleSummary, name: str, line: int, decorators: Sequence[str]
) -> Optional[str]:
    if not info.complete:
        return "class has an unresolved base"
    if info.dynamic:
        return "class body binds names dynamically (no rename is offered there)"
    if name.startswith("__") and name.endswith("__"):
        return "dunder method"
    if len(name.strip("_")) <= 4:
        return "name of 4 characters or fewer"
    if line in s.noqa:
        return "`# noqa` on the def line"
    if any(
        d.rsplit(".", 1)[-1] in ("override", "overload", "setter", "deleter") for d in decorators
    ):
        return "decorated with @override/@overload/a property accessor"
    return None


# -- seeding ----------------------------------------------------------------------------------


def _related(a: Site, b: Site) -> bool:
    return a.class_key in b.mro_keys or b.class_key in a.mro_keys


def choose_seeds(
    sites: Sequence[Site],
    n: int,
    seed: int,
    words_in_tree: frozenset[str],
    groups: Sequence[str],
    rejected: Counter[str],
) -> list[Seed]:
    """Up to ``n`` seeds, round robin over ``groups``, one per class, no two in classes
    related by inheritance; each site's typo is of the least used kind that applies."""
    pools: dict[str, list[Site]] = {}
    for g in groups:
        pool = sorted(
            (s for s in sites if s.group == g), key=lambda s: (s.rel, s.line, s.cls, s.method)
        )
        random.Random(f"{seed}:{g}").shuffle(pool)
        pools[g] = pool
    used: Counter[str] = Counter({k: 0 for k in KINDS})
    chosen: list[Seed] = []
    while len(chosen) < n and any(pools.values()):
        for g in groups:
            if len(chosen) >= n:
                break
            pool = pools[g]
            while pool:
                site = pool.pop()
                if any(_related(site, c.site) for c in chosen):
                    rejected["site: class related to an already seeded class"] += 1
                    continue
                got = _typo_for(site, seed, used, words_in_tree, rejected)
                if got is None:
                    continue
                chosen.append(got)
                used[got.kind] += 1
                break
    return chosen


def _typo_for(
    site: Site, seed: int, used: Counter[str], words_in_tree: frozenset[str], rejected: Counter[str]
) -> Optional[Seed]:
    rng = random.Random(f"{seed}:{site.rel}:{site.cls}:{site.method}")
    options = typos(site.method, rng)
    for kind in sorted(KINDS, key=lambda k: (used[k], KINDS.index(k))):
        typo = options.get(kind)
        if typo is None:
            continue
        if typo in site.taken:
            rejected[f"{kind}: a name the class or its bases already have"] += 1
        elif typo in SPECIAL_METHODS:
            rejected[f"{kind}: a special method"] += 1
        elif typo in words_in_tree:
            rejected[f"{kind}: the typo is already a word of the tree"] += 1
        else:
            return Seed(site, kind, typo)
    rejected["site: no typo kind left"] += 1
    return None


_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


def tree_words(src: str) -> frozenset[str]:
    """Every identifier-like word of every ``.py`` file (comments and strings included)."""
    out: set[bytes] = set()
    for dirpath, _, filenames in os.walk(src):
        for name in filenames:
            if name.endswith(".py"):
                with open(os.path.join(dirpath, name), "rb") as f:
                    out.update(_WORD.findall(f.read()))
    return frozenset(w.decode("ascii") for w in out)


def apply_seeds(copy: str, seeds: Sequence[Seed]) -> None:
    by_file: dict[str, list[Seed]] = defaultdict(list)
    for s in seeds:
        by_file[s.site.rel].append(s)
    for rel, items in by_file.items():
        path = os.path.join(copy, rel)
        with open(path, "rb") as f:
            data = f.read()
        for s in items:
            data = _rename_def(data, s.site.line, s.site.method, s.typo)
        with open(path, "wb") as f:
            f.write(data)


# -- checking the fix -------------------------------------------------------------------------

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def changed_lines(diff: str) -> list[tuple[str, int, str, str]]:
    """(file, line, old text, new text) of each line a ``git diff -U0`` replaced in place;
    lines added or removed come as (file, line, old or "", new or "")."""
    out: list[tuple[str, int, str, str]] = []
    path = ""
    old: list[str] = []
    new: list[str] = []
    start = 0

    def flush() -> None:
        for i in range(max(len(old), len(new))):
            out.append(
                (path, start + i, old[i] if i < len(old) else "", new[i] if i < len(new) else "")
            )
        old.clear()
        new.clear()

    for line in diff.splitlines():
        if line.startswith("+++ "):
            flush()
            path = line[6:] if line.startswith("+++ b/") else line[4:]
        elif line.startswith("--- "):
            flush()
        elif line.startswith("@@"):
            flush()
            m = _HUNK.match(line)
            start = int(m.group(1)) if m else 0
        elif line.startswith("-"):
            old.append(line[1:])
        elif line.startswith("+"):
            new.append(line[1:])
    flush()
    return out


def seed_status(seed: Seed, pristine: str, fixed: str) -> str:
    """``reverted`` (the def line is the pristine one), ``seeded`` (left as seeded) or
    ``renamed otherwise``: from the file's pristine and fixed text."""
    before = pristine.split("\n")[seed.site.line - 1]
    after = fixed.split("\n")[seed.site.line - 1]
    if after == before:
        return "reverted"
    expected = _rename_def(before.encode(), 1, seed.site.method, seed.typo).decode()
    return "seeded" if after == expected else "renamed otherwise"


def stray_edits(
    diff_from_baseline: str, seeds: Sequence[Seed], status: Mapping[Seed, str]
) -> list[tuple[str, int, str, str]]:
    """Lines of ``git diff baseline fixed`` that are not a seed left as seeded."""
    left = {(s.site.rel, s.site.line) for s in seeds if status[s] == "seeded"}
    return [c for c in changed_lines(diff_from_baseline) if (c[0], c[1]) not in left]


Change = tuple[str, int, str, str]


def classify_edits(
    changes: Sequence[Change],
    seeds: Sequence[Seed],
    status: Mapping[Seed, str],
    baseline: Sequence[Change],
) -> tuple[list[Change], list[Change], list[Change]]:
    """The lines ``--fix`` changed, as (seeded reverts, baseline fixes, anything else): a
    baseline fix is the very change ``--fix`` makes on the pristine tree."""
    at = {(s.site.rel, s.site.line): s for s in seeds}
    known = set(baseline)
    reverts: list[Change] = []
    upstream: list[Change] = []
    other: list[Change] = []
    for c in changes:
        s = at.get((c[0], c[1]))
        if s is not None and status[s] == "reverted":
            reverts.append(c)
        elif s is None and c in known:
            upstream.append(c)
        else:
            other.append(c)
    return reverts, upstream, other


def overridecheck(copy: str, python: str, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "overridecheck", *extra, "--no-cache", "--python", python]
    return subprocess.run(
        [*cmd, "src/twisted"], cwd=copy, capture_output=True, text=True, timeout=1800
    )


def findings_at(report: str) -> dict[tuple[str, int], dict[str, object]]:
    got: dict[tuple[str, int], dict[str, object]] = {}
    for d in json.loads(report or "[]"):
        got.setdefault((str(d["path"]), int(d["line"])), d)
    return got


# -- report -----------------------------------------------------------------------------------


def _counts(run: TrialRun) -> str:
    c = run.counts
    return " | ".join(str(c.get(k, 0)) for k in STATUSES)


def _diff_lines(label: str, diffs: Sequence[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> str:
    moves = ", ".join(f"{k}: {v}" for k, v in sorted(transitions(diffs).items()))
    return f"- {label}: **{len(diffs)}** tests differ from pristine" + (
        f" ({moves})" if moves else ""
    )


def _identical(diffs: Sequence[object], real: Sequence[object]) -> str:
    if not diffs:
        return "yes"
    if not real:
        return f"yes after reruns ({len(diffs)} first-run differences not confirmed)"
    return f"no ({len(real)} confirmed by reruns)"


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--twisted", help="Twisted source tree (default: the corpus's)")
    ap.add_argument("--python", default=sys.executable, help="interpreter that runs trial")
    ap.add_argument("--typos", type=int, default=60, help="typos to seed (default 60)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also seed overrides of concrete base methods, and fix with --unsafe-fixes",
    )
    ap.add_argument("--per-seed", action="store_true", help="trial once per seed (slow)")
    ap.add_argument(
        "--seeded-timeout",
        type=float,
        default=3.0,
        help="per-test timeout of the seeded runs, where a seed can make tests hang "
        "(default 3 s; 0: trial's own 120 s); the pristine and fixed runs keep trial's",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    src = src_dir_of(args.twisted or default_twisted())
    if src is None:
        print(f"no Twisted source tree (src/twisted) at {args.twisted}", file=sys.stderr)
        return 2
    python = os.path.abspath(args.python) if os.sep in args.python else args.python
    work = tempfile.mkdtemp(prefix="oc-trial-fix-")
    try:
        return _run(args, src, python, work, t_start)
    finally:
        if args.keep:
            print(f"\n(kept: {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, src: str, python: str, work: str, t_start: float) -> int:
    out: list[str] = []
    failures: list[str] = []
    copy = os.path.join(work, "twisted")
    plugin_dir = os.path.join(work, "plugin")
    write_reporter(plugin_dir)
    pristine = make_copy(src, copy)
    copy_src = os.path.join(copy, "src")
    imported = imported_twisted(python, copy_src, plugin_dir)
    if not os.path.realpath(imported).startswith(os.path.realpath(copy_src) + os.sep):
        print(f"trial would import another Twisted: {imported}", file=sys.stderr)
        return 2

    runs: dict[str, TrialRun] = {}
    runs["pristine"] = run_trial("pristine", python, copy_src, plugin_dir, work)
    if not runs["pristine"].outcomes:
        print(f"trial recorded no test: see {runs['pristine'].log}", file=sys.stderr)
        return 2

    # the baseline: what --fix does to the pristine tree (Twisted's own typos)
    fix_args = ["--fix", "--unsafe-fixes"] if args.unsafe_fixes else ["--fix"]
    overridecheck(copy, python, *fix_args)
    baseline_lines = changed_lines(git(copy, "diff", "-U0"))
    git(copy, "checkout", "-q", "-b", "baseline")
    git(copy, "commit", "-q", "--allow-empty", "-am", "baseline: --fix on the pristine tree")
    git(copy, "checkout", "-q", "main")

    t0 = time.perf_counter()
    scan = find_sites(copy, default_search_path(python))
    groups = GROUPS if args.unsafe_fixes else GROUPS[:-1]
    rejected: Counter[str] = Counter()
    seeds = choose_seeds(scan.sites, args.typos, args.seed, tree_words(copy_src), groups, rejected)
    apply_seeds(copy, seeds)
    git(copy, "commit", "-q", "-am", f"seed {len(seeds)} typos")
    seconds_seed = time.perf_counter() - t0
    runs["seeded"] = run_trial(
        "seeded", python, copy_src, plugin_dir, work, args.seeded_timeout or None
    )

    report = overridecheck(copy, python, "--format", "json", "-q")
    found = findings_at(report.stdout)
    t0 = time.perf_counter()
    fix = overridecheck(copy, python, *fix_args)
    seconds_fix = time.perf_counter() - t0
    git(copy, "commit", "-q", "--allow-empty", "-am", "overridecheck " + " ".join(fix_args))
    runs["fixed"] = run_trial("fixed", python, copy_src, plugin_dir, work)

    status: dict[Seed, str] = {}
    for s in seeds:
        before = git(copy, "show", f"{pristine}:{s.site.rel}")
        after = git(copy, "show", f"HEAD:{s.site.rel}")
        status[s] = seed_status(s, before, after)
    stray = stray_edits(git(copy, "diff", "-U0", "baseline", "HEAD"), seeds, status)
    reverts, upstream, other = classify_edits(
        changed_lines(git(copy, "diff", "-U0", "HEAD~1", "HEAD")), seeds, status, baseline_lines
    )
    reverted = sum(1 for s in seeds if status[s] == "reverted")
    diff_pristine = git(copy, "diff", "--stat", pristine, "HEAD").strip()

    # a test whose outcome differs is run again, RERUNS times in each tree
    fixed_diffs = compare(runs["pristine"].outcomes, runs["fixed"].outcomes)
    reruns: dict[str, tuple[list[tuple[str, ...]], list[tuple[str, ...]]]] = {}
    if fixed_diffs:
        ids = [t for t, _, _ in fixed_diffs]
        reruns = {t: ([], []) for t in ids}
        for side, commit in ((0, pristine), (1, "HEAD")):
            git(copy, "checkout", "-q", commit, "--", ".")
            for i in range(RERUNS):
                label = f"rerun-{'pristine' if side == 0 else 'fixed'}-{i}"
                again = run_trial(label, python, copy_src, plugin_dir, work, tests=ids)
                for t in ids:
                    reruns[t][side].append(again.outcomes.get(t, ()))
        git(copy, "checkout", "-q", "HEAD", "--", ".")
    real_diffs = [d for d in fixed_diffs if confirmed(*reruns[d[0]])]

    per_seed: dict[Seed, int] = {}
    if args.per_seed:
        for s in seeds:
            git(copy, "checkout", "-q", pristine, "--", ".")
            apply_seeds(copy, [s])
            label = f"seed-{len(per_seed)}"
            alone = run_trial(
                label, python, copy_src, plugin_dir, work, args.seeded_timeout or None
            )
            per_seed[s] = len(compare(runs["pristine"].outcomes, alone.outcomes))
        git(copy, "checkout", "-q", "HEAD", "--", ".")

    # -- summary
    by_group = Counter(s.group for s in scan.sites)
    out.append("# overridecheck --fix on Twisted's own test suite\n")
    out.append(f"- Twisted source: `{src}` (copied to `{copy}`; trial imports `{imported}`)")
    out.append(f"- trial: `{python} -m twisted.trial {' '.join(TRIAL_MODULES)}` with")
    out.append(f"  `PYTHONPATH={copy_src}` (reporter `oc-bench`: bwverbose + JSON lines)")
    out.append(
        f"- fix: `python -m overridecheck {' '.join(fix_args)} --no-cache --python {python}"
        " src/twisted` (in the copy)"
    )
    out.append(
        f"- seed {args.seed}; typos asked {args.typos}; per-test timeout of the seeded runs "
        + (f"{args.seeded_timeout:g} s" if args.seeded_timeout else "trial's")
        + " (pristine and fixed: trial's own, 120 s)\n"
    )
    out.append("## Sites and seeds\n")
    out.append(
        "- hook overrides found in twisted/protocols + twisted/web: "
        + ", ".join(f"{g} {by_group.get(g, 0)}" for g in GROUPS)
    )
    top = ", ".join(f"`{n}` {c}" for n, c in scan.concrete_names.most_common(8))
    out.append(f"- concrete overrides ({'seeded' if args.unsafe_fixes else 'not seeded'}): {top}")
    for reason, n in scan.excluded.most_common():
        out.append(f"- not a site: {n} — {reason}")
    for reason, n in sorted(rejected.items()):
        out.append(f"- rejected: {n} — {reason}")
    kinds = Counter(s.kind for s in seeds)
    out.append(
        f"- **seeded {len(seeds)}** typos in {len({s.site.rel for s in seeds})} files: "
        + ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k])
        + "; groups "
        + ", ".join(f"{g} {n}" for g, n in sorted(Counter(s.site.group for s in seeds).items()))
    )
    out.append("")
    out.append("## Trial\n")
    out.append("| run | tests | " + " | ".join(STATUSES) + " | exit | seconds | trial says |")
    out.append("|---|---|" + "---|" * len(STATUSES) + "---|---|---|")
    for r in runs.values():
        out.append(
            f"| {r.label} | {len(r.outcomes)} | {_counts(r)} | {r.returncode} | "
            f"{r.seconds:.1f} | {r.summary} |"
        )
    out.append("")
    for r in runs.values():
        if r.slow:
            out.append(
                f"- {r.label}: {len(r.slow)} tests took 2.5 s or more ("
                + ", ".join(f"`{t}` {sec:.0f} s" for t, sec in r.slow[:5])
                + (", ..." if len(r.slow) > 5 else "")
                + ")"
            )
    seeded_diffs = compare(runs["pristine"].outcomes, runs["seeded"].outcomes)
    out.append(_diff_lines("seeded", seeded_diffs))
    out.append(_diff_lines("fixed", fixed_diffs))
    modules = Counter(t.rsplit(".", 2)[0] for t, _, _ in seeded_diffs)
    if modules:
        out.append(
            "- seeded run, differing tests by module: "
            + ", ".join(f"`{m}` {n}" for m, n in modules.most_common(12))
        )
    if per_seed:
        mattered = sum(1 for n in per_seed.values() if n)
        out.append(
            f"- per seed (trial with that seed alone): **{mattered} of {len(seeds)}** seeds "
            f"change some test's outcome ({sum(per_seed.values())} test outcomes in all)"
        )
    for t, a, b in fixed_diffs[:20]:
        p_again, f_again = reruns[t]
        verdict = "confirmed" if confirmed(p_again, f_again) else "not confirmed"
        out.append(
            f"  - fixed differs: `{t}`: {worst(a) if a else 'absent'} -> "
            f"{worst(b) if b else 'absent'}; {RERUNS} reruns each: pristine "
            f"{[worst(o) if o else 'absent' for o in p_again]}, fixed "
            f"{[worst(o) if o else 'absent' for o in f_again]}: **{verdict}**"
        )
    out.append("")
    out.append("## Fix\n")
    detected = sum(1 for s in seeds if (s.site.rel, s.site.line) in found)
    out.append(f"- baseline (the same fix on the pristine tree): {len(baseline_lines)} lines")
    for path, n, old, new in baseline_lines:
        out.append(f"  - `{path}:{n}`: `{old.strip()}` -> `{new.strip()}`")
    out.append(f"- seeds reported by overridecheck before fixing: {detected} of {len(seeds)}")
    out.append(f"- **reverted {reverted} of {len(seeds)}** seeds ({seconds_fix:.1f} s for --fix)")
    out.append(
        f"- lines --fix changed: {len(reverts) + len(upstream) + len(other)} = {len(reverts)} "
        f"seeded reverts + {len(upstream)} baseline fixes + **{len(other)} other** "
        "(edits that are not a seeded revert)"
    )
    out.append(f"- lines differing from the baseline that are not an unreverted seed: {len(stray)}")
    stat = diff_pristine.splitlines()[-1] if diff_pristine else "empty"
    out.append(f"- `git diff --stat pristine HEAD`: {stat}")
    out.append("")
    out.append("| file:line | class | typo | kind | group | found | after --fix |")
    out.append("|---|---|---|---|---|---|---|")
    for s in seeds:
        d = found.get((s.site.rel, s.site.line))
        got = f"{d['code']} {d['fix_safety']}" if d else "no"
        extra = f", {per_seed[s]} tests" if s in per_seed else ""
        out.append(
            f"| {s.site.rel[4:]}:{s.site.line} | {s.site.cls} | `{s.typo}` -> `{s.site.method}` "
            f"| {s.kind} | {s.site.group} | {got} | {status[s]}{extra} |"
        )
    for c in other:
        out.append(
            f"- edit not a seeded revert: `{c[0]}:{c[1]}`: `{c[2].strip()}` -> `{c[3].strip()}`"
        )
    for c in stray:
        out.append(
            f"- differs from baseline: `{c[0]}:{c[1]}`: `{c[2].strip()}` -> `{c[3].strip()}`"
        )
    if fix.returncode not in (0, 1) or report.returncode not in (0, 1):
        failures.append(f"overridecheck failed: {fix.stderr[-500:]}{report.stderr[-500:]}")
    if len(seeds) < MIN_SEEDS:
        failures.append(f"only {len(seeds)} typos seeded (at least {MIN_SEEDS})")
    if reverted != len(seeds):
        failures.append(f"{len(seeds) - reverted} seeds not reverted")
    if other or stray:
        failures.append("edits that are not seeded reverts")
    if real_diffs:
        failures.append(f"{len(real_diffs)} tests differ from the pristine run, reruns too")
    out.append("")
    out.append(
        f"**{'PASS' if not failures else 'FAIL: ' + '; '.join(failures)}** — identical trial "
        f"outcomes: {_identical(fixed_diffs, real_diffs)}; seeding {seconds_seed:.1f} s; "
        f"wall time {time.perf_counter() - t_start:.1f} s"
    )
    print("\n".join(out))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
