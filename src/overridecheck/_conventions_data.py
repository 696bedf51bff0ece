"""Dispatch conventions as data, shared by the linter and the runtime audit (``check_class``).

Which base classes call which methods by a name prefix (``render_GET``, ``irc_PRIVMSG``,
``visit_FunctionDef``), the valid suffixes known without reading any source, the test-method
prefixes of ``unittest``/trial, Perspective Broker's prefixes, and the class attributes that
frameworks read with ``getattr`` without defining them.  Base classes are named by
``(module, qualname)`` of their definition, which is what the linter resolves statically and
what ``cls.__module__``/``cls.__qualname__`` say at run time.

Pure data: imports only ``re`` and ``typing``, so the runtime can use it without importing the
linter (and without ``dataclasses``/``inspect``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple, Optional

if TYPE_CHECKING:
    import ast

__all__ = [
    "CALL_REMOTE",
    "CONVENTIONAL_ATTRIBUTES",
    "CONVENTIONS",
    "CTCP_TAGS",
    "FRAMEWORK_HOOKS",
    "FTP_COMMANDS",
    "HTTP_METHODS",
    "IRC_COMMANDS",
    "IRC_MODULE",
    "LEGACY_AST_NODES",
    "OVERRIDABLE",
    "PB_DEF",
    "PB_PREFIXES",
    "POP3_COMMANDS",
    "SMTP_COMMANDS",
    "SYMBOLIC",
    "TEST_CASE_BASES",
    "TEST_TYPO",
    "Convention",
    "attribute_position",
    "class_body",
    "text_references",
    "valid_suffix",
]

# HTTP methods (RFC 9110, WebDAV, versioning, CalDAV, and a few common extensions).
HTTP_METHODS = frozenset(
    """
    GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH PROPFIND PROPPATCH MKCOL COPY MOVE LOCK
    UNLOCK REPORT SEARCH MKCALENDAR ACL BIND UNBIND REBIND MERGE CHECKOUT CHECKIN UNCHECKOUT
    MKACTIVITY MKWORKSPACE LABEL UPDATE ORDERPATCH PURGE LINK UNLINK QUERY
    """.split()
)

# IRC commands (RFC 1459/2812 and IRCv3) a client or server may receive.
IRC_COMMANDS = frozenset(
    """
    ADMIN AWAY CAP CNOTICE CPRIVMSG CONNECT DIE ENCAP ERROR HELP INFO INVITE ISON JOIN KICK KILL
    KNOCK LINKS LIST LUSERS MODE MOTD NAMES NICK NOTICE OPER PART PASS PING PONG PRIVMSG QUIT
    REHASH RESTART RULES SERVER SERVICE SERVLIST SETNAME SILENCE SQUERY SQUIT STATS SUMMON TIME
    TOPIC TRACE USER USERHOST USERIP USERS VERSION WALLOPS WATCH WHO WHOIS WHOWAS ACCOUNT
    AUTHENTICATE BATCH CHGHOST TAGMSG ACK
    """.split()
)

CTCP_TAGS = frozenset(
    "ACTION CLIENTINFO DCC ERRMSG FINGER PING SED SOURCE TIME USERINFO VERSION".split()
)

# FTP commands (RFC 959, 2228, 2389, 2428, 3659).
FTP_COMMANDS = frozenset(
    """
    ABOR ACCT ADAT ALLO APPE AUTH CCC CDUP CONF CWD DELE ENC EPRT EPSV FEAT HELP LANG LIST LPRT
    LPSV MDTM MIC MKD MLSD MLST MODE NLST NOOP OPTS PASS PASV PBSZ PORT PROT PWD QUIT REIN REST
    RETR RMD RNFR RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XMKD XPWD XRCP XRMD
    XRSQ XSEM XSEN
    """.split()
)

SMTP_COMMANDS = frozenset(
    "HELO EHLO MAIL RCPT DATA RSET VRFY EXPN HELP NOOP QUIT TURN ETRN AUTH STARTTLS BDAT".split()
)
POP3_COMMANDS = frozenset(
    "USER PASS APOP STAT LIST RETR DELE NOOP RSET QUIT TOP UIDL CAPA STLS AUTH LAST RPOP".split()
)

# Node classes of other Python versions than the running one: older ones still visited by old
# code, and newer ones (3.10-3.13) visited by code that runs on a newer Python than the tool.
LEGACY_AST_NODES = frozenset(
    """
    Num Str Bytes NameConstant Ellipsis Index ExtSlice Param AugLoad AugStore Suite Exec Print
    Repr TryExcept TryFinally Backquote
    Match match_case MatchValue MatchSingleton MatchSequence MatchMapping MatchClass MatchStar
    MatchAs MatchOr TryStar TypeAlias TypeVar ParamSpec TypeVarTuple
    """.split()
)


class Convention(NamedTuple):
    """Methods ``prefix + suffix`` that instances of ``bases`` have called by name.

    ``known`` lists valid suffixes; ``source`` names where more are read from (``"ast"``: the
    running Python's node classes, ``"libcst"``: libcst's node classes, ``"irc"``: the symbolic
    reply names of ``twisted.words.protocols.irc``).  ``closed`` lists suffix prefixes whose
    names must all be known (IRC dispatches ``irc_RPL_*`` only for the replies it knows).
    ``attribute_suffix``: ``visit_<Node>_<attribute>`` is valid too (libcst).  ``ignore``: names
    with the prefix that are not handlers (``irc_unknown``).
    """

    name: str
    bases: tuple[tuple[str, str], ...]
    prefixes: tuple[str, ...]
    known: frozenset[str] = frozenset()
    source: Optional[str] = None
    closed: tuple[str, ...] = ()
    attribute_suffix: bool = False
    ignore: frozenset[str] = frozenset()


IRC_MODULE = "twisted.words.protocols.irc"
_LIBCST_BASES = (
    ("libcst._visitors", "CSTVisitor"),
    ("libcst._visitors", "CSTTransformer"),
    ("libcst._batched_visitor", "BatchableCSTVisitor"),
    ("libcst._typed_visitor", "CSTTypedVisitorFunctions"),
    ("libcst._typed_visitor", "CSTTypedTransformerFunctions"),
    ("libcst.matchers._visitors", "MatcherDecoratableTransformer"),
    ("libcst.matchers._visitors", "MatcherDecoratableVisitor"),
)

CONVENTIONS: tuple[Convention, ...] = (
    Convention("twisted.web", (("twisted.web.resource", "Resource"),), ("render_",), HTTP_METHODS),
    Convention(
        "twisted.words irc",
        ((IRC_MODULE, "IRCClient"), (IRC_MODULE, "IRC")),
        ("irc_",),
        IRC_COMMANDS,
        source="irc",
        closed=("RPL_", "ERR_"),
        ignore=frozenset({"irc_unknown"}),
    ),
    Convention(
        "twisted.words ctcp", ((IRC_MODULE, "IRCClient"),), ("ctcpQuery_", "ctcpReply_"), CTCP_TAGS
    ),
    Convention(
        "twisted.words dcc",
        ((IRC_MODULE, "IRCClient"),),
        ("dcc_",),
        frozenset({"SEND", "ACCEPT", "RESUME", "CHAT"}),
        ignore=frozenset({"dcc_sessions", "dcc_destdir"}),
    ),
    Convention(
        "twisted.protocols.ftp", (("twisted.protocols.ftp", "FTP"),), ("ftp_",), FTP_COMMANDS
    ),
    Convention(
        "twisted.mail.smtp",
        (("twisted.mail.smtp", "SMTP"),),
        ("do_",),
        SMTP_COMMANDS,
        ignore=frozenset({"do_UNKNOWN"}),
    ),
    Convention("twisted.mail.pop3", (("twisted.mail.pop3", "POP3"),), ("do_",), POP3_COMMANDS),
    Convention(
        "http.server",
        (("http.server", "BaseHTTPRequestHandler"), ("BaseHTTPServer", "BaseHTTPRequestHandler")),
        ("do_",),
        HTTP_METHODS,
    ),
    Convention("ast", (("ast", "NodeVisitor"),), ("visit_",), LEGACY_AST_NODES, source="ast"),
    Convention(
        "libcst", _LIBCST_BASES, ("visit_", "leave_"), source="libcst", attribute_suffix=True
    ),
)

# Prefixes Perspective Broker dispatches for calls arriving from `callRemote("name")`.
PB_PREFIXES: dict[tuple[str, str], str] = {
    ("twisted.spread.flavors", "Referenceable"): "remote_",
    ("twisted.spread.flavors", "Viewable"): "view_",
    ("twisted.spread.pb", "Avatar"): "perspective_",
}

# Test cases whose `test` method prefix is a convention of the runner.
TEST_CASE_BASES = frozenset(
    {
        ("unittest.case", "TestCase"),
        ("twisted.trial._synctest", "SynchronousTestCase"),
    }
)

# Class attributes read with getattr() by the framework, not (or not always) defined on the base.
CONVENTIONAL_ATTRIBUTES: dict[tuple[str, str], frozenset[str]] = {
    ("twisted.trial._synctest", "SynchronousTestCase"): frozenset(
        {"skip", "todo", "suppress", "timeout"}
    ),
    ("unittest.case", "TestCase"): frozenset({"maxDiff", "longMessage", "failureException"}),
}

# Methods a framework calls by name on subclasses of these classes, whatever their default body
# does (a real default is still a hook): a near miss of one of them is a typo, not a new method.
# Interface members, stubs and methods documented to be overridden are hooks without a listing.
FRAMEWORK_HOOKS: dict[tuple[str, str], frozenset[str]] = {
    ("unittest.case", "TestCase"): frozenset(
        {"setUp", "tearDown", "setUpClass", "tearDownClass", "runTest"}
    ),
    ("unittest.async_case", "IsolatedAsyncioTestCase"): frozenset({"asyncSetUp", "asyncTearDown"}),
    ("twisted.trial._synctest", "SynchronousTestCase"): frozenset({"setUp", "tearDown"}),
    ("twisted.application.service", "Service"): frozenset(
        {"startService", "stopService", "privilegedStartService"}
    ),
    ("twisted.python.usage", "Options"): frozenset({"parseArgs", "postOptions"}),
    ("twisted.internet.protocol", "Factory"): frozenset(
        {"startFactory", "stopFactory", "buildProtocol"}
    ),
}

# A docstring that asks subclasses to override the method: "Override in subclasses",
# "Implement this to create dynamic resources", "subclasses should ...".
OVERRIDABLE = re.compile(
    r"(?i)\boverrid(?:e|es|den|ing)\b|\bimplement (?:this|me)\b"
    r"|\bsubclass(?:es)? (?:should|must|may|can)\b|\bin (?:a |your )?subclass(?:es)?\b"
)

# The symbolic IRC reply names in the source of ``twisted.words.protocols.irc``.
SYMBOLIC = re.compile(r"""["']((?:RPL|ERR)_[A-Z0-9_]+)["']\s*:""")

# A misspelt ``test`` prefix of a test method (``tset_login``, ``Test_login``, ``tsetLogin``).
TEST_TYPO = re.compile(
    r"^(?:tset|tets|etst|tsst|tst|tes|est|tesst|ttest|teest|tetst|Test|TEST|TEst)(?=_)"
    r"|^(?:tset|tets|etst|tesst|ttest|teest|tetst)(?=[A-Z0-9])"
)

# ``callRemote("name")`` calls, and the Perspective Broker handlers a tree defines.
CALL_REMOTE = re.compile(r"""callRemote\(\s*(?:b?["'])([A-Za-z_][A-Za-z0-9_]*)["']""")
PB_DEF = re.compile(r"""\b(?:remote|view|perspective)_([A-Za-z0-9_]+)\s*(?:\(|=)""")


def valid_suffix(suffix: str, known: frozenset[str], convention: Convention) -> bool:
    """Whether ``prefix + suffix`` is a handler ``convention`` dispatches (``known``: all its
    valid suffixes)."""
    if suffix in known:
        return True
    if convention.attribute_suffix:
        head, sep, _ = suffix.partition("_")
        return bool(sep) and head in known
    return False


def attribute_position(text: str, start_line: int, name: str) -> Optional[tuple[int, int]]:
    """(line, column) of the first class-level ``name = ...``/``name: T`` of the class whose
    ``class`` statement, or first decorator, is on ``start_line`` of a source text, read off
    its syntax tree: a docstring, a method's variable or a nested class's attribute never
    counts (the runtime's ``check_class``; the linter has these positions in its summaries).
    None when the text does not parse or the class binds the name otherwise."""
    return _class_assignments(text).get(start_line, {}).get(name)


@functools.lru_cache(maxsize=4)  # the module being checked: parsed once for all its classes
def _class_assignments(text: str) -> dict[int, dict[str, tuple[int, int]]]:
    """Per line of a ``class`` statement (and of its first decorator), the (line, column) of
    each name's first class-level assignment."""
    import ast

    source = text[1:] if text.startswith("\ufeff") else text  # a BOM the text kept
    import warnings

    try:
        with warnings.catch_warnings():  # the module's own (it was imported: seen then)
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    lines: Optional[list[str]] = None
    found: dict[int, dict[str, tuple[int, int]]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        assigned: dict[str, tuple[int, int]] = {}
        for stmt in class_body(node.body):
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id not in assigned:
                        if lines is None:
                            lines = _LINE_BREAK.split(source)
                        line = lines[t.lineno - 1]
                        column = len(
                            line.encode("utf-8")[: t.col_offset].decode("utf-8", "replace")
                        )
                        assigned[t.id] = (t.lineno, column + 1)
            elif isinstance(stmt, ast.Delete):
                for t in stmt.targets:
                    if isinstance(t, ast.Name):
                        assigned.pop(t.id, None)
        for line_number in (node.lineno, *(d.lineno for d in node.decorator_list[:1])):
            found.setdefault(line_number, assigned)
    return found


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def class_body(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements a class body runs, in order: its own and, each after the compound
    statement holding it, those of its ``if``/``for``/``while``/``with``/``try`` blocks; not
    those of the functions and classes it defines (shared by the linter's summaries and the
    runtime's attribute positions)."""
    import ast

    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            inner = [*stmt.body, *stmt.orelse]
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            inner = list(stmt.body)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            inner = list(stmt.body)  # type: ignore[attr-defined]
            for h in stmt.handlers:  # type: ignore[attr-defined]
                inner.extend(h.body)
            inner.extend(stmt.orelse)  # type: ignore[attr-defined]
            inner.extend(stmt.finalbody)  # type: ignore[attr-defined]
        else:
            continue
        stack.extend(reversed(inner))


def text_references(text: str, names: Iterable[str], *, through_self: bool = False) -> set[str]:
    """Which of ``names`` a module's source text uses besides defining them: as an attribute
    (``x.name``; only through ``self``/``cls``/``super()`` with ``through_self``) or as a string
    literal equal to the name.  Comments never count, nor do words inside longer strings (an
    attribute inside an f-string's braces before Python 3.12, which tokenizes it whole, does)."""
    wanted = sorted(set(names))
    if not wanted or not text:
        return set()
    alternatives = "|".join(re.escape(n) for n in wanted)
    owner = r"\b(?:self|cls|super\(\))" if through_self else ""
    pattern = re.compile(rf"""{owner}\.({alternatives})\b|(["'])({alternatives})\2""")
    matches = list(pattern.finditer(text))
    if not matches:
        return set()
    spans = _non_code(text)
    if spans is None:  # cannot tokenize: every match counts
        return {m.group(1) or m.group(3) for m in matches}
    starts = [span[0] for span in spans]
    found: set[str] = set()
    for m in matches:
        k = bisect.bisect_right(starts, m.start()) - 1
        span = spans[k] if k >= 0 and m.start() < spans[k][1] else None
        if span is None:
            found.add(m.group(1) or m.group(3))
        elif span[2] == "string" and m.group(3) is not None:
            literal = text[span[0] : span[1]].lstrip("rRbBuU")
            if literal in (f'"{m.group(3)}"', f"'{m.group(3)}'"):
                found.add(m.group(3))
        elif span[2] == "fstring" and m.group(1) is not None:
            found.add(m.group(1))
    return found


def _non_code(text: str) -> Optional[list[tuple[int, int, str]]]:
    """(start, end, "comment"/"string"/"fstring") offsets of the comments and string literals
    of a source text, in order; None when it cannot be tokenized."""
    import io
    import tokenize

    line_starts = [0]
    for line in text.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))

    def offset(pos: tuple[int, int]) -> int:
        return line_starts[pos[0] - 1] + pos[1] if pos[0] - 1 < len(line_starts) else len(text)

    middle = getattr(tokenize, "FSTRING_MIDDLE", None)
    spans: list[tuple[int, int, str]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                kind = "comment"
            elif tok.type == tokenize.STRING:
                prefix = tok.string[: len(tok.string) - len(tok.string.lstrip("rRbBuUfF"))]
                kind = "fstring" if "f" in prefix.lower() else "string"
            elif middle is not None and tok.type == middle:
                kind = "comment"  # literal text of an f-string (3.12+): never a reference
            else:
                continue
            spans.append((offset(tok.start), offset(tok.end), kind))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    return spans
