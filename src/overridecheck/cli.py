"""The ``overridecheck`` command: find files, load the config, run the engine, fix, report.

``overridecheck rule CODE`` / ``overridecheck rule --all`` print the rules' documentation (a
path named ``rule`` is checked as ``./rule``).

Exit codes: 0 nothing found; 1 findings, or a path that could not be checked; 2 usage or
configuration error, or an internal error.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import traceback
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Optional, TextIO

from overridecheck._version import __version__
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
from overridecheck.lint.discover import DEFAULT_EXCLUDE, Excluder, PatternSet, discover
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
    coverage_lines,
    coverage_messages,
    error_line,
    format_github,
    format_json,
    format_text,
    github_escape_data,
    shown_path,
    statistics_json,
    unchecked_line,
    use_color,
)

if TYPE_CHECKING:
    from overridecheck.lint.rules import RuleInfo

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

#: Set to a non-empty value to print tracebacks of internal errors (like ``--verbose``).
DEBUG_ENV = "OVERRIDECHECK_DEBUG"

_EPILOG = """\
exit codes:
  0  no problems found
  1  problems found, or a path could not be checked (syntax error, undecodable, missing, ...)
  2  usage or configuration error, or an internal error

Settings are read from [tool.overridecheck] in the nearest pyproject.toml at or above the
paths checked; command-line options take precedence.

`overridecheck rule CODE` prints a rule's documentation, `overridecheck rule --all` lists the
rules; to check a file or directory named `rule`, write `./rule`.
"""


class UsageError(Exception):
    pass


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _patterns(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="overridecheck",
        description="Find misspelled method overrides (e.g. `conectionMade` in a Twisted "
        "Protocol) without importing your code.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories to check (default: .)"
    )
    rules = parser.add_argument_group("rule selection (comma-separated codes or prefixes)")
    rules.add_argument(
        "--select",
        type=_codes,
        action="append",
        metavar="CODES",
        help="check exactly these rules (e.g. OC101,OC102 or OC1; ALL for every rule)",
    )
    rules.add_argument(
        "--extend-select",
        type=_codes,
        action="append",
        metavar="CODES",
        help="check these rules in addition to the selected ones",
    )
    rules.add_argument(
        "--ignore", type=_codes, action="append", metavar="CODES", help="skip these rules"
    )
    files = parser.add_argument_group("file selection (gitignore-style patterns)")
    files.add_argument(
        "--exclude",
        type=_patterns,
        action="append",
        metavar="PATTERNS",
        help="exclude these patterns instead of the default list",
    )
    files.add_argument(
        "--extend-exclude",
        type=_patterns,
        action="append",
        metavar="PATTERNS",
        help="exclude these patterns in addition to the default/configured ones",
    )
    files.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply exclusions to paths given on the command line too",
    )
    files.add_argument(
        "--show-files", action="store_true", help="list the files that would be checked and exit"
    )
    speed = parser.add_argument_group("speed")
    speed.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="summarise files in N processes (default: the number of usable cores; 1: no pool)",
    )
    speed.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    speed.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="cache folder (default: .overridecheck_cache next to the config, else "
        "$XDG_CACHE_HOME/overridecheck or ~/.cache/overridecheck)",
    )
    fixes = parser.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    fixes.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix (or --diff), apply unsafe fixes too; alone, show them as fixable",
    )
    fixes.add_argument(
        "--diff",
        action="store_true",
        help="print a diff of what --fix would change and write nothing (exit 1 if any)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--statistics", action="store_true", help="count the findings per rule instead"
    )
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="resolve installed packages from this interpreter or virtual environment",
    )
    parser.add_argument(
        "--unresolved",
        choices=UNRESOLVED_MODES,
        help="classes whose bases cannot be found: warn (default), error (exit 1), ignore",
    )
    parser.add_argument(
        "--show-unchecked",
        action="store_true",
        help="list each class that was not checked, with what stopped it",
    )
    parser.add_argument("--config", metavar="PATH", help="use this pyproject.toml")
    parser.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print findings only, no summary line"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=f"show the configuration used, and tracebacks of internal errors (or set {DEBUG_ENV})",
    )
    parser.add_argument("--version", action="version", version=f"overridecheck {__version__}")
    return parser


def _flatten(values: Optional[Sequence[Sequence[str]]]) -> Optional[list[str]]:
    if values is None:
        return None
    return [v for group in values for v in group]


def _rules() -> Mapping[str, RuleInfo]:
    from overridecheck.lint.rules import RULES

    return RULES


def _load_config(args: argparse.Namespace, paths: Sequence[str], known: Sequence[str]) -> Config:
    if args.isolated:
        return Config()
    if args.config is not None:
        if not os.path.isfile(args.config):
            raise ConfigError("config file not found", args.config)
        return load_config(args.config, known)
    found = find_config(_start(paths))
    return load_config(found, known) if found is not None else Config()


def _excluder(args: argparse.Namespace, config: Config) -> Excluder:
    cwd = os.getcwd()
    cli_exclude = _flatten(args.exclude)
    sets: list[PatternSet] = []
    if cli_exclude is not None:
        sets.append(PatternSet.create(cwd, cli_exclude))
    elif config.exclude is not None:
        sets.append(PatternSet.create(config.root, config.exclude))
    else:
        sets.append(PatternSet.create(cwd, DEFAULT_EXCLUDE))
    sets.append(PatternSet.create(config.root, config.extend_exclude))
    sets.append(PatternSet.create(cwd, _flatten(args.extend_exclude) or ()))
    return Excluder(tuple(s for s in sets if s.patterns))


def _start(paths: Sequence[str]) -> str:
    """The folder the checked paths have in common (the current one if none)."""
    try:
        start = os.path.commonpath([os.path.abspath(p) for p in paths])
    except ValueError:
        start = os.getcwd()
    return os.path.dirname(start) if os.path.isfile(start) else start


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


def _environment(
    args: argparse.Namespace, config: Config, paths: Sequence[str], err: TextIO
) -> Environment:
    """Where installed packages come from: ``--python``, else ``python`` in the config, else
    ``$VIRTUAL_ENV``, else a ``.venv``/``venv`` folder at the project root, else this
    interpreter.  Only an interpreter named with ``--python`` is ever run (see ``environment``).
    """
    if args.python is not None:
        python: str = args.python
        if os.sep not in python and "/" not in python:
            python = shutil.which(python) or python
        if not os.path.exists(python):
            raise UsageError(f"Python interpreter `{args.python}` not found")
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


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    paths: list[str] = args.paths or [os.curdir]
    rules = _rules()
    known = sorted(rules)
    cli = Layer(
        _flatten(args.select), _flatten(args.extend_select) or (), _flatten(args.ignore) or ()
    )
    for option, values in (
        ("--select", cli.select),
        ("--extend-select", cli.extend_select),
        ("--ignore", cli.ignore),
    ):
        try:
            check_selectors(values or (), known, f"`{option}`")
        except ConfigError as exc:
            raise UsageError(exc.message) from None
    config = _load_config(args, paths, known)
    if args.verbose:
        err.write(f"overridecheck: config: {config.path or 'none'}\n")
    environment = _environment(args, config, paths, err)
    if args.verbose:
        err.write(f"overridecheck: installed packages: from {environment.description}\n")
    selection = resolve_selection(
        [Layer(config.select, config.extend_select, config.ignore), cli],
        {code: info.default for code, info in rules.items()},
    )
    found = discover(paths, _excluder(args, config), force_exclude=args.force_exclude)
    if found.leftovers:  # what a killed `--fix` left behind
        from overridecheck.lint.fix import remove_stale_temporaries

        remove_stale_temporaries(found.leftovers)
    if args.show_files:
        out.write("".join(shown_path(f) + "\n" for f in found.files))
        for e in found.errors:
            err.write(error_line(e) + "\n")
        return EXIT_FINDINGS if found.errors else EXIT_OK

    if not found.files and not found.errors:
        err.write("overridecheck: warning: no Python files found\n")
    ignores = PerFileIgnores(config.root, config.per_file_ignores)

    coverage = _Coverage()

    def check() -> tuple[list[Diagnostic], list[FileError], int]:
        diagnostics: list[Diagnostic] = []
        errors: list[FileError] = list(found.errors)
        checked = len(found.files)
        coverage.classes, coverage.unchecked = 0, []
        if found.files and selection:
            from overridecheck.lint.cache import default_cache_dir
            from overridecheck.lint.engine import check_files, default_jobs
            from overridecheck.lint.rules.missing_override_decorator import ENV, IMPORT_SOURCES

            cache_dir = None
            if not args.no_cache:
                cache_dir = args.cache_dir or default_cache_dir(config.path)
            # The config chosen here (also with --config/--isolated) decides OC107's import.
            source = config.override_import or os.environ.get(ENV) or IMPORT_SOURCES[0]
            if source not in IMPORT_SOURCES:
                source = IMPORT_SOURCES[0]
            result = check_files(
                found.files,
                search_path=environment.path,
                select=selection,
                jobs=args.jobs or default_jobs(),
                cache_dir=cache_dir,
                override_import=source,
            )
            diagnostics = [
                d
                for d in result.diagnostics
                if d.code in selection and not (ignores and ignores.ignored(d.path, d.code))
            ]
            errors += result.errors
            checked -= len({e.path for e in result.errors if not e.checked} & set(found.files))
            coverage.classes, coverage.unchecked = result.classes, result.unchecked
        return diagnostics, errors, checked

    diagnostics, errors, checked = check()
    fixed = 0
    fix_errors: list[FileError] = []
    if args.diff or args.fix:
        from overridecheck.lint import fix

        plan = fix.plan_fixes(diagnostics, unsafe=args.unsafe_fixes)
        if args.diff:
            out.write("".join(fix.unified_diff(f) for f in plan.files))
            for e in plan.errors:
                err.write(error_line(e) + "\n")
            n = len(plan.fixed)
            if not args.quiet:
                err.write(f"Would fix {n} error{'' if n == 1 else 's'}\n" if n else "")
            return EXIT_FINDINGS if plan.files or plan.errors else EXIT_OK
        done, fix_errors = fix.write_fixes(plan)
        fix_errors = [*plan.errors, *fix_errors]
        fixed = len(done)
        if done:
            diagnostics, errors, checked = check()
        errors = [*errors, *fix_errors]
    errors.sort(key=lambda e: (e.path, e.line or 0, e.column or 0))
    coverage.mode = args.unresolved or config.unresolved or "warn"
    _report(args, out, err, diagnostics, errors, checked, fixed, coverage)
    blind = coverage.mode == "error" and bool(coverage.unchecked)
    return EXIT_FINDINGS if diagnostics or errors or blind else EXIT_OK


class _Coverage:
    """How many classes were checked, those that were not (and why), and what to say."""

    def __init__(self) -> None:
        self.classes = 0
        self.unchecked: list[Unchecked] = []
        self.mode = "warn"

    @property
    def level(self) -> str:
        return "error" if self.mode == "error" else "warning"

    def lines(self) -> list[str]:
        return [] if self.mode == "ignore" else coverage_lines(self.unchecked, self.level)

    def notes(self) -> list[tuple[str, str]]:
        if self.mode == "ignore":
            return []
        return [(self.level, m) for m in coverage_messages(self.unchecked)]


def _report(
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    diagnostics: list[Diagnostic],
    errors: list[FileError],
    checked: int,
    fixed: int,
    coverage: _Coverage,
) -> None:
    fixed_line = f"Fixed {fixed} error{'' if fixed == 1 else 's'}\n" if fixed else ""
    listing = [unchecked_line(u) for u in coverage.unchecked] if args.show_unchecked else []
    if args.format == "text":
        err.write("".join(line + "\n" for line in coverage.lines()))
        out.write("".join(line + "\n" for line in listing))
        out.write(
            format_text(
                diagnostics,
                errors,
                checked,
                quiet=args.quiet,
                unsafe_fixes=args.unsafe_fixes,
                color=use_color(out),
                fixed=fixed,
                statistics=args.statistics,
                classes=coverage.classes,
                unchecked=len(coverage.unchecked),
                unchecked_fail=coverage.mode == "error",
            )
        )
        return
    err.write("".join(line + "\n" for line in [*coverage.lines(), *listing]))
    if args.format == "json":
        if args.statistics:
            out.write(statistics_json(diagnostics, unsafe_fixes=args.unsafe_fixes))
        else:
            out.write(format_json(diagnostics))
        for e in errors:
            err.write(error_line(e) + "\n")
    elif args.format == "github":
        out.write(format_github(diagnostics, errors))
        for level, text in coverage.notes():
            kind = "error" if level == "error" else "warning"
            out.write(f"::{kind} title=overridecheck::{github_escape_data(text)}\n")
    else:
        from overridecheck.lint.sarif import format_sarif

        failed = coverage.mode == "error" and bool(coverage.unchecked)
        out.write(format_sarif(diagnostics, errors, _all_rules(), coverage.notes(), failed))
    if not args.quiet:
        err.write(fixed_line)


def _all_rules() -> dict[str, RuleInfo]:
    """Every rule of the registry (`lint.rules`)."""
    return dict(_rules())


def _rule_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="overridecheck rule",
        description="Print a rule's documentation, or list all rules.",
        epilog="To check a file or directory named `rule`, write `overridecheck ./rule`.",
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code, e.g. OC101")
    parser.add_argument("--all", action="store_true", help="list every rule")
    args = parser.parse_args(argv)
    rules = _all_rules()
    if args.all == (args.code is not None):
        parser.print_usage(sys.stderr)
        sys.stderr.write("overridecheck rule: error: give a rule code or `--all`\n")
        return EXIT_USAGE
    if args.all:
        width = max((len(info.name) for info in rules.values()), default=0)
        for code in sorted(rules):
            info = rules[code]
            off = "" if info.default else " (off by default)"
            sys.stdout.write(f"{code}  {info.name:<{width}}  {info.summary}{off}\n")
        return EXIT_OK
    code = args.code.strip().upper()
    rule = rules.get(code)
    if rule is None:
        sys.stderr.write(f"overridecheck: error: unknown rule code `{args.code}`\n")
        return EXIT_USAGE
    default = "on by default" if rule.default else "off by default (enable with `--select`)"
    sys.stdout.write(f"# {rule.name} ({rule.code})\n\n{rule.summary}.\n\n")
    sys.stdout.write(f"This rule is {default}.\n\n{rule.doc.rstrip()}\n")
    return EXIT_OK


def _tolerant_streams() -> None:
    """Never fail on a character the output encoding cannot carry (a file name's stray byte,
    a non-ASCII name on an ASCII terminal): escape it instead."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            try:
                stream.reconfigure(errors="backslashreplace")
            except (AttributeError, ValueError, OSError):  # pragma: no cover
                pass


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code (usage errors from argparse exit with 2)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["rule"]:
        try:
            code = _rule_command(argv[1:])
            sys.stdout.flush()
            return code
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_OK
    _tolerant_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(args.verbose or os.environ.get(DEBUG_ENV))
    try:
        code = _run(args, sys.stdout, sys.stderr)
        sys.stdout.flush()
        return code
    except (UsageError, ConfigError) as exc:
        sys.stderr.write(f"overridecheck: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("overridecheck: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`overridecheck | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as exc:
        if debug:
            traceback.print_exc()
        detail = str(exc).splitlines()[0] if str(exc) else ""
        name = type(exc).__name__
        sys.stderr.write(f"overridecheck: internal error: {name}: {detail}\n".replace(": \n", "\n"))
        return EXIT_USAGE
