"""One lint run: load the config, find the files, choose the environment, check, fix, report.

`run` does what the ``overridecheck`` command does once its arguments are parsed (`cli` turns
them into `RunOptions`); it returns the exit code. Problems with the options or the config
raise `UsageError` or `config.ConfigError`, for the caller to print (exit code `EXIT_USAGE`).

The engine, the cache, the fixer and the rules are imported only when needed, so that
importing this module (and the command line, for ``--help``) stays cheap.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, TextIO

from overridecheck.lint.config import (
    Config,
    ConfigError,
    Layer,
    PerFileIgnores,
    check_selectors,
    find_config,
    load_config,
    resolve_selection,
)
from overridecheck.lint.discover import DEFAULT_EXCLUDE, Discovery, Excluder, PatternSet, discover
from overridecheck.lint.environment import (
    Environment,
    InterpreterError,
    default_environment,
    environment_of,
)
from overridecheck.lint.model import Diagnostic, FileError, Unchecked
from overridecheck.lint.report import (
    FORMATS,
    UNRESOLVED_MODES,
    error_line,
    fix_state,
    report,
    shown_path,
)

if TYPE_CHECKING:
    from overridecheck.lint.fix import FixPlan
    from overridecheck.lint.rules import RuleInfo

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "RunOptions",
    "UsageError",
    "context_files",
    "context_root",
    "project_context",
    "project_root",
    "project_top",
    "run",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad option (an unknown rule code, a ``--python`` that is not there, ...)."""


@dataclass(frozen=True)
class RunOptions:
    """What a run needs from the command line; each field is the option of the same name.

    ``None`` for ``select`` and ``exclude`` means "not given" (the config's, else the default,
    apply), unlike an empty tuple, which selects or excludes nothing.
    """

    #: Files or folders to check (none: the current folder).
    paths: Sequence[str] = ()
    select: Optional[Sequence[str]] = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    #: Patterns excluded instead of the configured (else the default) ones.
    exclude: Optional[Sequence[str]] = None
    extend_exclude: Sequence[str] = ()
    force_exclude: bool = False
    #: List the files that would be checked, check nothing.
    show_files: bool = False
    #: Processes for summarising (None: the number of usable cores).
    jobs: Optional[int] = None
    #: False: neither read nor write the cache (``--no-cache``).
    cache: bool = True
    #: None: next to the config, else the user's cache folder.
    cache_dir: Optional[str] = None
    fix: bool = False
    unsafe_fixes: bool = False
    #: Print what `fix` would change, write nothing.
    diff: bool = False
    format: str = "text"
    statistics: bool = False
    #: Interpreter or virtual environment to resolve installed packages from.
    python: Optional[str] = None
    #: ``warn``/``error``/``ignore`` (None: the config's, else ``warn``).
    unresolved: Optional[str] = None
    show_unchecked: bool = False
    #: The pyproject.toml to use (None: the nearest one with ``[tool.overridecheck]``).
    config: Optional[str] = None
    #: Ignore all configuration files.
    isolated: bool = False
    quiet: bool = False
    #: Say which config and environment are used.
    verbose: bool = False
    #: Colour the text output (None: if the output stream wants it, see `report.use_color`).
    color: Optional[bool] = None
    #: The source of the one path in ``paths``, read from stdin (``--stdin-filename``): it
    #: replaces the file at that path, which need not exist; ``fix`` prints the fixed source.
    stdin: Optional[bytes] = None
    #: Write the report to this file instead of the output stream (``--output-file``).
    output_file: Optional[str] = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}")
        if self.unresolved is not None and self.unresolved not in UNRESOLVED_MODES:
            raise ValueError(f"unknown unresolved mode {self.unresolved!r}")
        if self.jobs is not None and self.jobs < 1:
            raise ValueError("jobs must be at least 1")
        if self.stdin is not None and len(self.paths) != 1:
            raise ValueError("stdin is the source of exactly one path")


@dataclass
class _Checked:
    """What one pass of the engine found, per-file ignores applied."""

    diagnostics: list[Diagnostic]
    errors: list[FileError]
    #: Files checked (those that could not be read do not count).
    checked: int
    classes: int = 0
    unchecked: list[Unchecked] = field(default_factory=list)


def _rules() -> Mapping[str, RuleInfo]:
    from overridecheck.lint.rules import RULES

    return RULES


def _start(paths: Sequence[str]) -> str:
    """The folder the checked paths have in common (the current one if none)."""
    key = (os.getcwd(), tuple(paths))
    if _last_start and _last_start[0][0] == key:  # asked 3 times a run (thousands of paths)
        return _last_start[0][1]
    try:
        start = os.path.commonpath([os.path.abspath(p) for p in paths])
    except ValueError:
        start = os.getcwd()
    start = os.path.dirname(start) if os.path.isfile(start) else start
    _last_start[:] = [(key, start)]
    return start


#: `_start`'s last answer, for the run under way (`_run` forgets it).
_last_start: list[tuple[tuple[str, tuple[str, ...]], str]] = []


#: Up to this many paths given, files among them make the rest of the project their context.
#: At most this many paths given outside any project (no git, config or project file) get
#: their common folder as context.
GUESSED_CONTEXT_FOR = 256


def _holds(path: str, root: str) -> bool:
    """Whether ``path`` is a folder holding ``root`` (or is it)."""
    if not os.path.isdir(path):
        return False
    folder = os.path.normcase(os.path.abspath(path))
    try:
        return os.path.commonpath([folder, os.path.normcase(root)]) == folder
    except ValueError:  # another drive
        return False


def project_root(paths: Sequence[str], config: Config) -> str:
    """The folder of the config, else the git work tree holding the paths, else their folder."""
    if config.path is not None:
        return config.root
    start = folder = _start(paths)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent


#: Files that mark a folder as a project's top when no git work tree holds it.
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


def _submodule(folder: str) -> bool:
    """Whether ``folder`` is a git submodule's work tree (its ``.git`` a file pointing into
    the superproject's ``.git/modules``): the superproject, which uses it, is the project."""
    try:
        with open(os.path.join(folder, ".git"), encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:  # a folder (a repository of its own), or unreadable
        return False
    return head.startswith("gitdir:") and "/modules/" in head.replace("\\", "/")


def context_root(paths: Sequence[str], config: Config) -> str:
    """Where the project around paths given by name ends, for their context (see
    `project_top`)."""
    return project_top(paths, config)[0]


def project_top(paths: Sequence[str], config: Config) -> tuple[str, bool]:
    """Where the project around paths given by name ends, and whether a project's top was
    found there (else it is only the paths' common folder): the git work tree holding them or
    the folder of the config, whichever holds the other (a config in the home folder or
    ``/`` does not widen a repository), else the nearest folder at or above them holding a
    ``pyproject.toml``, ``setup.py`` or ``setup.cfg``, else the same found from where a
    symbolic link on their path leads, else their common folder; the home folder and ``/``
    only when the config is there or the files are.

    A git submodule's work tree is not a project's top: its superproject's is.  The widest
    that is known, because a rename is judged on every file that may use the name: a config
    in a subfolder of a repository (`app/pyproject.toml`) does not make the rest of the
    repository (`tests/`) another project, nor does a repository in a subfolder of the
    config's (`libA/.git`) make its sibling folders one."""
    start = _start(paths)
    while not os.path.isdir(start) and os.path.dirname(start) != start:
        start = os.path.dirname(start)  # stdin's file in a folder not made yet
    work_tree, marker = _project_above(start)
    configured = config.root if config.path is not None else None
    if configured is not None and not _inside(start, configured):
        configured = None  # `--config` naming a file elsewhere: not this project's top
    if work_tree is not None and configured is not None:
        wider = _inside(work_tree, configured)
        if wider and os.path.normcase(os.path.abspath(configured)) not in _too_wide():
            return configured, True
        return work_tree, True
    if work_tree is not None:
        return work_tree, True
    if configured is not None:
        return configured, True
    real = os.path.realpath(start)
    if marker is None and real != start:  # a link into a project from outside it
        work_tree, marker = _project_above(real)
    top = work_tree or marker
    return (top, True) if top is not None else (start, False)


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it."""
    a, b = os.path.normcase(os.path.abspath(path)), os.path.normcase(os.path.abspath(folder))
    try:
        return os.path.commonpath([a, b]) == b
    except ValueError:  # another drive
        return False


def _project_above(start: str) -> tuple[Optional[str], Optional[str]]:
    """The git work tree holding ``start`` and the nearest folder at or above it holding a
    project file (None: not found below the home folder or ``/``)."""
    # The home folder and the file system's root are never a project here, even with a
    # `.git` (a repository of dotfiles) or a `pyproject.toml`: every file below them would be
    # read for each check.
    too_wide = _too_wide()
    folder = start
    marker: Optional[str] = None
    while os.path.normcase(folder) not in too_wide:
        if os.path.exists(os.path.join(folder, ".git")) and not _submodule(folder):
            return folder, marker
        if marker is None and any(
            os.path.isfile(os.path.join(folder, m)) for m in _PROJECT_MARKERS
        ):
            marker = folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return None, marker


def _too_wide() -> set[str]:
    """The home folder and ``/`` (and where they lead), never a project's top here."""
    return {
        os.path.normcase(p)
        for top in (os.path.expanduser("~"), os.path.abspath(os.sep))
        for p in (top, os.path.realpath(top))
    }


def context_files(paths: Sequence[str], config: Config, excluder: Excluder) -> list[str]:
    """The project's files around ``paths`` (files given by name): every file found in the
    folder `context_root` gives that ``excluder`` keeps; resolved and read for references,
    not reported."""
    return discover([context_root(paths, config)], excluder).files


def project_context(path: str) -> list[str]:
    """`context_files` of one file given by name as a plain ``overridecheck <path>`` run finds
    them (the nearest config, the default excludes): for the Fixit rules, which lint one file
    at a time.  Raises `config.ConfigError` for a bad config."""
    config = _load_config(RunOptions(paths=[path]), [path], sorted(_rules()))
    return context_files([path], config, _excluder(RunOptions(), config))


def _load_config(options: RunOptions, paths: Sequence[str], known: Sequence[str]) -> Config:
    if options.isolated:
        return Config()
    if options.config is not None:
        if not os.path.isfile(options.config):
            raise ConfigError("config file not found", options.config)
        return load_config(options.config, known)
    found = find_config(_start(paths))
    return load_config(found, known) if found is not None else Config()


def _excluder(options: RunOptions, config: Config) -> Excluder:
    cwd = os.getcwd()
    sets: list[PatternSet] = []
    if options.exclude is not None:
        sets.append(PatternSet.create(cwd, options.exclude))
    elif config.exclude is not None:
        sets.append(PatternSet.create(config.root, config.exclude))
    else:
        sets.append(PatternSet.create(cwd, DEFAULT_EXCLUDE))
    sets.append(PatternSet.create(config.root, config.extend_exclude))
    sets.append(PatternSet.create(cwd, options.extend_exclude))
    return Excluder(tuple(s for s in sets if s.patterns))


def _environment(
    options: RunOptions, config: Config, paths: Sequence[str], err: TextIO
) -> Environment:
    """Where installed packages come from: ``--python``, else ``python`` in the config, else
    ``$VIRTUAL_ENV``, else a ``.venv``/``venv`` folder at the project root, else this
    interpreter.  Only an interpreter named with ``--python`` is ever run (see ``environment``).
    """
    if options.python is not None:
        python = options.python
        if os.sep not in python and "/" not in python:
            python = shutil.which(python) or python
        if not os.path.exists(python):
            raise UsageError(f"Python interpreter `{options.python}` not found")
        try:
            got = environment_of(python, may_run=True)
        except InterpreterError as exc:
            raise UsageError(str(exc)) from None
        return Environment(f"`--python`: {got.description}", got.path)
    if config.python is not None:
        if not os.path.exists(config.python):
            raise ConfigError(f"Python interpreter `{config.python}` not found", config.path)
        try:
            got = environment_of(config.python, may_run=False)
        except InterpreterError as exc:
            raise ConfigError(str(exc), config.path) from None
        return Environment(f"`python` in {config.path}: {got.description}", got.path)
    warnings: list[str] = []
    got = default_environment(project_root(paths, config), warnings)
    for line in warnings:
        err.write(f"overridecheck: warning: {line}\n")
    return got


def _check(
    options: RunOptions,
    config: Config,
    found: Discovery,
    selection: frozenset[str],
    environment: Environment,
    ignores: PerFileIgnores,
    retain: Optional[list[object]] = None,
    context: Sequence[str] = (),
    contents: Optional[Mapping[str, bytes]] = None,
) -> _Checked:
    """Run the engine on the files found (nothing when no rule is selected)."""
    result = _Checked([], list(found.errors), len(found.files))
    if not (found.files and selection):
        return result
    from overridecheck.lint.cache import default_cache_dir
    from overridecheck.lint.engine import check_files, default_jobs
    from overridecheck.lint.rules.missing_override_decorator import ENV, IMPORT_SOURCES

    cache_dir = None
    if options.cache:
        cache_dir = options.cache_dir or default_cache_dir(config.path)
    # The config chosen here (also with --config/--isolated) decides OC107's import.
    source = config.override_import or os.environ.get(ENV) or IMPORT_SOURCES[0]
    if source not in IMPORT_SOURCES:
        source = IMPORT_SOURCES[0]
    checked = check_files(
        found.files,
        search_path=environment.path,
        select=selection,
        jobs=options.jobs or default_jobs(),
        cache_dir=cache_dir,
        override_import=source,
        retain=retain,
        context=context,
        # the engine's texts are by absolute path, as it places files
        texts={os.path.normpath(os.path.abspath(p)): data for p, data in (contents or {}).items()},
        # dropped before fix safety is judged: a def whose finding is dropped stays
        ignored=ignores.ignored if ignores else None,
        settings=repr((config.root, config.per_file_ignores)) if ignores else "",
    )
    result.diagnostics = [
        d
        for d in checked.diagnostics
        if d.code in selection and not (ignores and ignores.ignored(d.path, d.code))
    ]
    result.errors += checked.errors
    unreadable = {e.path for e in checked.errors if not e.checked}
    result.checked -= len(unreadable & set(found.files))
    result.classes, result.unchecked = checked.classes, list(checked.unchecked)
    return result


#: How many times ``--fix`` checks again and applies what became fixable (a renamed method
#: that now overrides gets OC107's decorator), as ruff does.
_FIX_ROUNDS = 10


def _settle(
    result: _Checked,
    recheck: Callable[[Mapping[str, bytes]], _Checked],
    unsafe: bool,
    contents: Optional[Mapping[str, bytes]],
) -> tuple[FixPlan, Optional[_Checked]]:
    """The fixes of ``result`` and those that become possible once they are applied, round
    after round, in memory: one plan from the files as they are to the files as they are left
    when nothing more is fixable (``--fix`` writes it once, ``--diff`` shows it).  The second
    value is the last round's result, None when the fixes did not settle in ``_FIX_ROUNDS``."""
    from overridecheck.lint.fix import FilePlan, FixPlan, plan_fixes

    texts: dict[str, bytes] = dict(contents or {})
    first = plan = plan_fixes(result.diagnostics, unsafe=unsafe, contents=contents)
    final: dict[str, FilePlan] = {}  # by path: the first round's source, the last text
    errors = list(plan.errors)
    stuck: set[str] = set()  # files whose fixed text their encoding cannot hold
    for _ in range(_FIX_ROUNDS):
        todo = [f for f in plan.files if f.source.path not in stuck]
        if not todo:
            break
        for f in todo:
            before = final.get(f.source.path)
            source = before.source if before is not None else f.source
            fixed = [*(before.fixed if before is not None else ()), *f.fixed]
            final[f.source.path] = FilePlan(source, f.text, fixed)
            try:
                texts[f.source.path] = f.source.encode(f.text)
            except UnicodeError:  # shown by --diff; writing it reports the error
                stuck.add(f.source.path)
        result = recheck(texts)
        plan = plan_fixes(result.diagnostics, unsafe=unsafe, contents=texts)
        known = {(e.path, e.message) for e in errors}
        errors += [e for e in plan.errors if (e.path, e.message) not in known]
    left = [f for f in plan.files if f.source.path not in stuck]
    settled: Optional[_Checked] = result if not left else None
    if not final:
        return first, settled
    return FixPlan(list(final.values()), first.skipped, errors), settled


def _output_folder(path: str) -> str:
    """The output file's folder, made if missing; `UsageError` (before anything is checked)
    when it cannot be made or written to, or ``path`` is a folder."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write `{path}`: {exc.strerror or exc}") from None
    if os.path.isdir(path):
        raise UsageError(f"cannot write `{path}`: is a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write `{path}`: permission denied")
    return folder


def write_output_file(path: str, text: str) -> None:
    """Write the report to ``path`` atomically (a temporary file in its folder, renamed over
    it: a reader never sees half a report), creating its folder; `UsageError` if it cannot."""
    folder = _output_folder(path)
    try:
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
                f.write(text)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise UsageError(f"cannot write `{path}`: {exc.strerror or exc}") from None


def run(
    options: RunOptions, out: TextIO, err: TextIO, *, retain: Optional[list[object]] = None
) -> int:
    """Lint as ``options`` say, writing findings to ``out`` (or ``options.output_file``) and
    notes to ``err``; the exit code: `EXIT_FINDINGS` for findings, paths that could not be
    checked (or, with ``unresolved`` ``error``, classes that could not be), or a ``diff`` that
    is not empty, else `EXIT_OK`.

    With ``options.stdin`` and ``fix``, ``out`` receives the fixed source (the bytes, through
    ``out.buffer`` when it has one) and the report goes to ``err`` (or the output file)."""
    if options.output_file is None:
        return _run(options, out, out, err, retain)
    _output_folder(options.output_file)  # fail early, not after the whole run
    report_out = io.StringIO()
    code = _run(options, out, report_out, err, retain)
    write_output_file(options.output_file, report_out.getvalue())
    return code


def _write_source(out: TextIO, data: bytes) -> None:
    """The fixed source, as bytes (its encoding, BOM and line endings kept) when ``out`` can
    take them."""
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        from overridecheck.lint.fix import decode_source

        out.write(decode_source("-", data).text)


def _run(
    options: RunOptions,
    stdout: TextIO,
    out: TextIO,
    err: TextIO,
    retain: Optional[list[object]],
) -> int:
    paths: list[str] = list(options.paths) or [os.curdir]
    _last_start.clear()
    stdin = options.stdin
    # Where the config, the environment and the project are looked for: the stdin file's
    # folder (it may not exist) or the paths.
    where = [os.path.dirname(os.path.abspath(paths[0]))] if stdin is not None else paths
    rules = _rules()
    known = sorted(rules)
    cli = Layer(options.select, options.extend_select, options.ignore)
    for option, values in (
        ("--select", cli.select),
        ("--extend-select", cli.extend_select),
        ("--ignore", cli.ignore),
    ):
        try:
            check_selectors(values or (), known, f"`{option}`")
        except ConfigError as exc:
            raise UsageError(exc.message) from None
    config = _load_config(options, where, known)
    if options.verbose:
        err.write(f"overridecheck: config: {config.path or 'none'}\n")
    environment = _environment(options, config, where, err)
    if options.verbose:
        err.write(f"overridecheck: installed packages: from {environment.description}\n")
    selection = resolve_selection(
        [Layer(config.select, config.extend_select, config.ignore), cli],
        {code: info.default for code, info in rules.items()},
    )
    excluder = _excluder(options, config)
    contents: dict[str, bytes] = {}
    context: list[str] = []
    if stdin is not None:
        # The source from stdin stands for the file at its path, whatever is on disk there;
        # the rest of the project is context as for a file given by name.
        found = Discovery()
        abspath = os.path.abspath(paths[0])
        if not (options.force_exclude and excluder.excluded_with_parents(abspath, False)):
            found.files.append(paths[0])
            contents[paths[0]] = stdin
            context = discover([context_root(where, config)], excluder).files
    else:
        found = discover(paths, excluder, force_exclude=options.force_exclude)
    if stdin is None and found.files:
        # Paths given by name (pre-commit, editors, a folder of the project): the rest of the
        # project is context, so that its bases resolve and its references to a name count (a
        # caller in a committed, unstaged file makes a rename no fix); only the paths given
        # are reported and fixed.  A folder holding the whole project needs none.
        root, found_top = project_top(paths, config)
        if found_top:
            if not all(_holds(p, root) for p in paths):
                context = discover([root], excluder).files
        elif (
            len(paths) <= GUESSED_CONTEXT_FOR
            and any(os.path.isfile(p) for p in paths)
            and os.path.normcase(root) not in _too_wide()
        ):
            # No project found: the common folder of a few files (an editor's, a script's;
            # never the home folder or `/`), a guess; thousands of paths outside any project
            # are the tree being checked, which a walk of their folder would only repeat.
            context = discover([root], excluder).files
    if found.leftovers:  # what a killed `--fix` left behind
        from overridecheck.lint.fix import remove_stale_temporaries

        remove_stale_temporaries(found.leftovers)
    if options.show_files:
        out.write("".join(shown_path(f) + "\n" for f in found.files))
        for e in found.errors:
            err.write(error_line(e) + "\n")
        return EXIT_FINDINGS if found.errors else EXIT_OK

    if not found.files and not found.errors and stdin is None:
        err.write("overridecheck: warning: no Python files found\n")
    ignores = PerFileIgnores(config.root, config.per_file_ignores)

    result = _check(
        options, config, found, selection, environment, ignores, retain, context, contents
    )
    fixed = 0
    if options.fix or options.diff:
        from overridecheck.lint import fix

        def recheck(texts: Mapping[str, bytes]) -> _Checked:
            return _check(
                options, config, found, selection, environment, ignores, retain, context, texts
            )

        plan, settled = _settle(result, recheck, options.unsafe_fixes, contents)
        if settled is None:
            err.write(
                f"overridecheck: warning: fixes did not settle after {_FIX_ROUNDS} rounds;"
                " the files may still have fixable problems\n"
            )
        if stdin is not None and options.fix and not options.diff:
            # The fixed source (or the source as it came) goes to stdout, the report to
            # stderr (or the output file); nothing is written to disk.
            new = stdin
            if plan.files:
                new = plan.files[0].source.encode(plan.files[0].text)
                fixed = len(plan.fixed)
                result = recheck({paths[0]: new})
            _write_source(stdout, new)
            result.errors += plan.errors
            if out is stdout:
                out = err
        elif options.diff:
            out.write("".join(fix.unified_diff(f) for f in plan.files))
            for e in plan.errors:
                err.write(error_line(e) + "\n")
            n = len(plan.fixed)
            # what is left once the fixes are applied
            last = settled if settled is not None else result
            unsafe = sum(fix_state(d) == "unsafe" for d in last.diagnostics)
            hidden = 0 if options.unsafe_fixes else unsafe
            more = f" ({hidden} more with `--unsafe-fixes`)" if hidden else ""
            if not options.quiet and n:
                err.write(f"Would fix {n} error{'' if n == 1 else 's'}{more}\n")
            elif not options.quiet and hidden:
                err.write(f"No fixes available with `--fix`{more}\n")
            return EXIT_FINDINGS if plan.files or plan.errors else EXIT_OK
        else:
            done, write_errors = fix.write_fixes(plan)
            fixed = len(done)
            if done:
                # the last round checked the text written, unless a file was not written
                whole = settled is not None and not write_errors and len(done) == len(plan.fixed)
                result = settled if whole and settled is not None else recheck(contents or {})
            result.errors += [*plan.errors, *write_errors]
    result.errors.sort(key=lambda e: (e.path, e.line or 0, e.column or 0))
    unresolved = options.unresolved or config.unresolved or "warn"
    report(
        out,
        err,
        result.diagnostics,
        result.errors,
        format=options.format,
        checked=result.checked,
        fixed=fixed,
        classes=result.classes,
        unchecked=result.unchecked,
        unresolved=unresolved,
        show_unchecked=options.show_unchecked,
        statistics=options.statistics,
        unsafe_fixes=options.unsafe_fixes,
        quiet=options.quiet,
        color=options.color,
        rules=rules,
    )
    blind = unresolved == "error" and bool(result.unchecked)
    return EXIT_FINDINGS if result.diagnostics or result.errors or blind else EXIT_OK
