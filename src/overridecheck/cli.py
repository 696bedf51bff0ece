"""The ``overridecheck`` command: parse the arguments, run the lint (`lint.run`), handle errors.

``overridecheck rule CODE`` / ``overridecheck rule --all`` print the rules' documentation (a
path named ``rule`` is checked as ``./rule``); ``overridecheck server`` is the language server
(`overridecheck.lsp`, with the ``lsp`` extra).

``overridecheck --stdin-filename PATH -`` checks the source read from stdin as the file at
PATH (`stdin_path`).

Exit codes: 0 nothing found; 1 findings, or a path that could not be checked (0 with
``--exit-zero``); 2 usage or configuration error, or an internal error.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, Optional

from overridecheck._version import __version__
from overridecheck.lint.config import ConfigError, unknown_code_hint
from overridecheck.lint.report import FORMATS, UNRESOLVED_MODES
from overridecheck.lint.run import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, RunOptions, UsageError, run

if TYPE_CHECKING:
    from overridecheck.lint.rules import RuleInfo

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

#: Set to a non-empty value to print tracebacks of internal errors (like ``--verbose``).
DEBUG_ENV = "OVERRIDECHECK_DEBUG"

_EPILOG = """\
exit codes:
  0  no problems found
  1  problems found, or a path could not be checked (syntax error, undecodable, missing, ...)
  2  usage or configuration error, or an internal error
  (with --exit-zero, 1 becomes 0)

`overridecheck --stdin-filename app/proto.py -` checks the source from stdin as app/proto.py
in its project; with --fix it prints the fixed source.

Settings are read from [tool.overridecheck] in the nearest pyproject.toml at or above the
paths checked; command-line options take precedence.

`overridecheck rule CODE` prints a rule's documentation, `overridecheck rule --all` lists the
rules; `overridecheck server` runs the language server (extra `[lsp]`). A subcommand comes
first; to check a file or directory named `rule` or `server`, write `./rule`.
"""


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


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (not argparse's usage block), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (try `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="overridecheck",
        description="Find misspelled method overrides (e.g. `conectionMade` in a Twisted "
        "Protocol) without importing your code.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories to check (default: .); `-`: the source from stdin",
    )
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the path of the source read from stdin: checked in its project as that file "
        "(which need not exist); with --fix, the fixed source is printed",
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
        "-o",
        "--output-file",
        metavar="PATH",
        help="write the report to this file instead of stdout (warnings stay on stderr)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output: auto (default: on a terminal, unless NO_COLOR is set; "
        "FORCE_COLOR forces it), always, never",
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit with 0 even when problems are found (usage and internal errors still exit 2)",
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


def _flatten(values: Optional[Sequence[Sequence[str]]]) -> Optional[tuple[str, ...]]:
    if values is None:
        return None
    return tuple(v for group in values for v in group)


#: The path shown for a source read from stdin without ``--stdin-filename``.
STDIN = "-"


def stdin_path(paths: Sequence[str], stdin_filename: Optional[str]) -> Optional[str]:
    """The path a source read from stdin stands for (None: the paths are checked): given by
    ``--stdin-filename`` (with ``-`` or no path), else ``-`` alone; `UsageError` for other
    paths beside them."""
    others = [p for p in paths if p != STDIN]
    if stdin_filename is not None:
        if not stdin_filename:
            raise UsageError("`--stdin-filename` needs a path")
        if others or len(paths) > 1:
            raise UsageError(
                "`--stdin-filename` checks the source from stdin only: give no other path "
                "(or just `-`)"
            )
        return stdin_filename
    if STDIN not in paths:
        return None
    if others or len(paths) > 1:
        raise UsageError("`-` (the source from stdin) cannot be combined with other paths")
    return STDIN


_COLOR = {"auto": None, "always": True, "never": False}


def run_options(args: argparse.Namespace, stdin: Optional[bytes] = None) -> RunOptions:
    """The `RunOptions` of parsed arguments (of `build_parser`); ``stdin``: the source read
    from stdin for `stdin_path`."""
    name = stdin_path(args.paths, args.stdin_filename) if stdin is not None else None
    return RunOptions(
        paths=(name,) if name is not None else tuple(args.paths),
        select=_flatten(args.select),
        extend_select=_flatten(args.extend_select) or (),
        ignore=_flatten(args.ignore) or (),
        exclude=_flatten(args.exclude),
        extend_exclude=_flatten(args.extend_exclude) or (),
        force_exclude=args.force_exclude,
        show_files=args.show_files,
        jobs=args.jobs,
        cache=not args.no_cache,
        cache_dir=args.cache_dir,
        fix=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        diff=args.diff,
        format=args.format,
        statistics=args.statistics,
        python=args.python,
        unresolved=args.unresolved,
        show_unchecked=args.show_unchecked,
        config=args.config,
        isolated=args.isolated,
        quiet=args.quiet,
        verbose=args.verbose,
        color=_COLOR[args.color],
        stdin=stdin if name is not None else None,
        output_file=args.output_file,
    )


def _all_rules() -> dict[str, RuleInfo]:
    """Every rule of the registry (`lint.rules`)."""
    from overridecheck.lint.rules import RULES

    return dict(RULES)


def _rule_command(argv: Sequence[str]) -> int:
    parser = _Parser(
        prog="overridecheck rule",
        description="Print a rule's documentation, or list all rules.",
        epilog="To check a file or directory named `rule`, write `overridecheck ./rule`.",
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code, e.g. OC101")
    parser.add_argument("--all", action="store_true", help="list every rule")
    args = parser.parse_args(argv)
    rules = _all_rules()
    if args.all == (args.code is not None):
        parser.error("give a rule code or `--all`")
    if args.all:
        # CODE  DEFAULT  NAME  SUMMARY; DEFAULT: `on` for the rules checked by default.
        width = max((len(info.name) for info in rules.values()), default=0)
        for code in sorted(rules):
            info = rules[code]
            on = "on " if info.default else "off"
            sys.stdout.write(f"{code}  {on}  {info.name:<{width}}  {info.summary}\n")
        return EXIT_OK
    code = args.code.strip().upper()
    rule = rules.get(code)
    if rule is None:
        hint = unknown_code_hint(code, rules)
        sys.stderr.write(f"overridecheck: error: unknown rule code `{args.code}`{hint}\n")
        return EXIT_USAGE
    default = "on by default" if rule.default else "off by default (enable with `--select`)"
    sys.stdout.write(f"# {rule.name} ({rule.code})\n\n{rule.summary}.\n\n")
    sys.stdout.write(f"This rule is {default}.\n\n{rule.doc.rstrip()}\n")
    return EXIT_OK


def _server_command(argv: Sequence[str]) -> int:
    """``overridecheck server``: the language server over stdio (`overridecheck.lsp`)."""
    if argv:
        sys.stderr.write("overridecheck server: error: takes no arguments (LSP over stdio)\n")
        return EXIT_USAGE
    try:
        from overridecheck import lsp
    except ImportError as exc:
        sys.stderr.write(f"overridecheck server: error: {exc}; install `overridecheck[lsp]`\n")
        return EXIT_USAGE
    return lsp.main()


def _tolerant_streams() -> None:
    """Never fail on a character the output encoding cannot carry (a file name's stray byte,
    a non-ASCII name on an ASCII terminal): escape it instead."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            try:
                stream.reconfigure(errors="backslashreplace")
            except (AttributeError, ValueError, OSError):  # pragma: no cover
                pass


def main(argv: Optional[Sequence[str]] = None, *, retain: Optional[list[object]] = None) -> int:
    """Run the command line; returns the exit code (usage errors from argparse exit with 2).

    ``retain`` keeps the run's objects alive (see ``engine.check_files``), for :func:`entry`.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["server"]:
        return _server_command(argv[1:])
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
        for sub in ("rule", "server"):
            if sub in args.paths and not os.path.lexists(sub):
                raise UsageError(
                    f"`{sub}` is a subcommand: it comes first (`overridecheck {sub} ...`, "
                    f"options after it); write `./{sub}` for a path"
                )
        stdin: Optional[bytes] = None
        if stdin_path(args.paths, args.stdin_filename) is not None:
            if sys.stdin is None:
                raise UsageError("no stdin to read the source from")
            stdin = sys.stdin.buffer.read()
        code = run(run_options(args, stdin), sys.stdout, sys.stderr, retain=retain)
        sys.stdout.flush()
        if args.exit_zero and code == EXIT_FINDINGS:
            return EXIT_OK
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


def entry() -> NoReturn:
    """The ``overridecheck`` command: :func:`main`, then an immediate exit.

    The run's objects are left for the operating system to reclaim rather than freed one by
    one (as mypy does): on a large tree, freeing them would cost a tenth of the run.
    """
    retain: list[object] = []
    code = main(retain=retain)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed or broken stream: nothing more to say
            pass
    os._exit(code)
