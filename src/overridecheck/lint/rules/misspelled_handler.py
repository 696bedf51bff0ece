"""OC104 misspelled-handler: methods a framework dispatches by a name prefix.

Three kinds of name dispatch are checked, all only on classes whose resolved MRO contains the
framework's base class:

* the dispatch conventions (``render_GET`` on a Twisted ``Resource``, ``irc_PRIVMSG``,
  ``ftp_RETR``, ``do_GET``, ``visit_FunctionDef`` ...; the tables are in
  :mod:`overridecheck._conventions_data`): a method with the prefix whose suffix is not valid
  but is a near miss of a valid one;
* the ``test`` prefix of ``unittest``/trial test cases (``tset_foo``, ``Test_foo``);
* Perspective Broker's ``remote_``/``view_``/``perspective_`` methods, compared with the
  ``callRemote("name")`` string literals of the linted package.

The valid suffixes come from an explicit list, from names read statically from the framework's
summary (IRC's ``symbolic_to_numeric``, libcst's node classes), from the node classes of the
running Python's :mod:`ast` module, and always from the prefixed names the base classes define.
A name the module itself refers to (``self.render_post(...)``) is a helper, not a typo.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Optional

from overridecheck._conventions_data import (
    CONVENTIONS,
    IRC_MODULE,
    PB_PREFIXES,
    TEST_CASE_BASES,
    TEST_TYPO,
    Convention,
    valid_suffix,
)
from overridecheck._suggest import Candidates, Role, is_ambiguous, rank
from overridecheck.lint.findings import ancestor_keys, finding, where
from overridecheck.lint.model import Diagnostic, FunctionSummary, ModuleSummary
from overridecheck.lint.ruledef import RENAME_SAFETY, Context, Example, Fact, Findings, Rule
from overridecheck.lint.rules._overrides import first_defs
from overridecheck.lint.summarise import may_hold_pb_names

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["RULE", "known_suffixes"]

CODE = "OC104"

# Every base class some check of this module is about, for a fast "nothing to do" test.
_WATCHED = frozenset(
    {b for c in CONVENTIONS for b in c.bases} | set(TEST_CASE_BASES) | set(PB_PREFIXES)
)
_SYMBOL = re.compile(r"(?:RPL|ERR)_[A-Z0-9_]+\Z")
_PB_ALL = tuple(sorted(set(PB_PREFIXES.values())))


def _ast_nodes() -> frozenset[str]:
    # The tool's own standard library, not the linted code.
    return frozenset(
        name
        for name, obj in vars(ast).items()
        if isinstance(obj, type) and issubclass(obj, ast.AST)
    )


def _irc_symbols(ctx: Context) -> frozenset[str]:
    """The reply names of ``twisted.words.protocols.irc`` (``"RPL_WELCOME"``), from the
    string literals of its summary."""
    mod = ctx.resolver.module(IRC_MODULE)
    if mod is None:
        return frozenset()
    return frozenset(s for s in ctx.names(mod).strings if _SYMBOL.match(s))


def _libcst_nodes(ctx: Context) -> frozenset[str]:
    """Classes libcst re-exports from its node modules (``libcst._nodes.*``)."""
    mod = ctx.resolver.module("libcst")
    if mod is None:
        return frozenset()
    return frozenset(
        name
        for name, target in mod.imports.items()
        if target.module.startswith("libcst._nodes") and target.name is not None
    )


def known_suffixes(convention: Convention, ctx: Context) -> frozenset[str]:
    """All valid suffixes of ``convention`` (computed once per run)."""
    key = ("suffixes", convention.name)
    got = ctx.memo.get(key)
    if got is None:
        extra: frozenset[str] = frozenset()
        if convention.source == "ast":
            extra = _ast_nodes()
        elif convention.source == "irc":
            extra = _irc_symbols(ctx)
        elif convention.source == "libcst":
            extra = _libcst_nodes(ctx)
        got = ctx.memo[key] = convention.known | extra
    assert isinstance(got, frozenset)
    return got


def _diag(
    mod: ModuleSummary,
    fn: FunctionSummary,
    message: str,
    suggestion: Optional[str],
    ambiguous: bool = False,
    safe: bool = True,
) -> Diagnostic:
    return finding(
        mod,
        fn.line,
        fn.column,
        fn.name,
        CODE,
        message,
        suggestion=suggestion,
        rename=not ambiguous,
        safe=safe,
    )


def _base_name(info: ClassInfo, bases: Collection[tuple[str, str]]) -> str:
    for cls in info.mro[1:]:
        summary = getattr(cls, "summary", None)
        if summary is not None and (cls.module.module, summary.qualname) in bases:  # type: ignore[union-attr]
            return str(summary.name)
    return "the base class"


def _dispatch(
    ctx: Context,
    mod: ModuleSummary,
    info: ClassInfo,
    methods: list[FunctionSummary],
    conventions: list[Convention],
) -> Findings:
    inherited = info.inherited()
    for convention in conventions:
        known = known_suffixes(convention, ctx)
        base = _base_name(info, convention.bases)
        for prefix in convention.prefixes:
            mine = [fn for fn in methods if fn.name.startswith(prefix) and fn.name != prefix]
            # A typo in the prefix itself (`rendr_GET`, `renderGET`): a name that is not a
            # handler, not inherited, and ends with a valid suffix after a near miss of it.
            slipped = [
                fn
                for fn in methods
                if not fn.name.startswith(prefix)
                and fn.name not in inherited
                and fn.name[:1].lower() == prefix[:1].lower()
            ]
            if not mine and not slipped:
                continue
            defined = {n[len(prefix) :] for n in inherited if n.startswith(prefix)}
            valid = known | defined
            candidates: Optional[Candidates] = None
            handlers = Role()
            for fn in [*mine, *slipped]:
                if fn.name in inherited or fn.name in convention.ignore:
                    continue
                in_prefix = not fn.name.startswith(prefix)
                suffix = fn.name[len(prefix) :]
                if not in_prefix and valid_suffix(suffix, valid, convention):
                    continue
                if candidates is None:
                    names = sorted(prefix + s for s in valid)
                    candidates = Candidates(names)
                    # the framework calls every handler by name: each is a hook, so a
                    # keyboard slip in a short suffix counts (`render_GER`, as `setUo`)
                    handlers = Role(hooks=frozenset(names))
                matches = candidates.rank(fn.name, handlers)
                if in_prefix:
                    # Only the prefix may differ: the handler's own suffix must be intact.
                    matches = [m for m in matches if fn.name.endswith(m.name[len(prefix) :])]
                if not matches:
                    continue
                best = matches[0].name
                yield (
                    fn.name,
                    _diag(
                        mod,
                        fn,
                        f"`{where(info, fn.name)}` is never dispatched by `{base}`; "
                        f"did you mean `{best}`?",
                        best,
                        is_ambiguous(matches),
                    ),
                )


def _tests(mod: ModuleSummary, info: ClassInfo, methods: list[FunctionSummary]) -> Findings:
    inherited = info.inherited()
    own = {fn.name for fn in methods}
    for fn in methods:
        m = TEST_TYPO.match(fn.name)
        if m is None or fn.name in inherited or fn.kind != "method":
            continue
        rest = fn.name[m.end() :]
        if not rest.strip("_"):
            continue
        suggestion = "test" + rest
        if suggestion in own:
            continue
        yield (
            fn.name,
            _diag(
                mod,
                fn,
                f"`{where(info, fn.name)}` is never collected as a test; "
                f"did you mean `{suggestion}`?",
                suggestion,
                safe=False,  # the test starts to run
            ),
        )


def _tree_modules(ctx: Context, mod: ModuleSummary) -> tuple[str, ...]:
    """The linted modules of ``mod``'s top-level package (none when the resolver knows no
    linted tree: then ``mod`` alone is the tree)."""
    top = mod.module.split(".", 1)[0] if mod.module else ""
    linted = ctx.resolver.linted
    if not top or not linted:
        return ()
    return tuple(n for n in linted if n == top or n.startswith(top + "."))


def _remote_names(ctx: Context, mod: ModuleSummary) -> tuple[set[str], set[str]]:
    """(names passed to ``callRemote``, names of PB handlers) in ``mod``'s package, from the
    names indexes of its linted modules.  Every module looked at becomes a dependency of the
    result being checked, so a cached finding goes stale with any of them."""
    top = mod.module.split(".", 1)[0] if mod.module and ctx.resolver.linted else mod.path
    key = ("pb-names", top)
    got = ctx.memo.get(key)
    if got is None:

        def pb_names(summary: ModuleSummary) -> Fact:
            """One module's share: the names it passes to ``callRemote``, and the handler
            names its PB-prefixed identifiers stand for."""
            if not summary.indexed:  # its index is made only if it may hold such a name
                data = ctx.source(summary.path)
                if data is not None and not may_hold_pb_names(data):
                    return (), ()
            index = ctx.names(summary)
            handlers: set[str] = set()
            for name in (*index.defs, *index.attributes, *index.names):
                if not name.startswith(_PB_ALL):  # most names: one test for every prefix
                    continue
                for prefix in _PB_ALL:
                    if name.startswith(prefix) and len(name) > len(prefix):
                        handlers.add(name[len(prefix) :])
            return tuple(sorted(index.remote)), tuple(sorted(handlers))

        modules = _tree_modules(ctx, mod)
        # remembered between runs module by module: a touched file does not make every
        # module of the package load its summary again
        shares = ctx.across("pb-names", modules, pb_names) if modules else [pb_names(mod)]
        called: set[str] = set()
        defined: set[str] = set()
        for remote, handlers in shares:
            called.update(remote)
            defined.update(handlers)
        got = ctx.memo[key] = (called, defined, modules)
    ctx.resolver.depend(got[2])
    return got[0], got[1]


def _pb(
    ctx: Context,
    mod: ModuleSummary,
    info: ClassInfo,
    methods: list[FunctionSummary],
    prefixes: list[str],
) -> Findings:
    mine = [(p, fn) for fn in methods for p in prefixes if fn.name.startswith(p)]
    if not mine:
        return
    called, defined = _remote_names(ctx, mod)
    orphans = sorted(called - defined)
    if not orphans:
        return
    for prefix, fn in mine:
        suffix = fn.name[len(prefix) :]
        if not suffix or suffix in called:
            continue
        matches = rank(suffix, orphans)
        if not matches:
            continue
        best = matches[0].name
        yield (
            fn.name,
            _diag(
                mod,
                fn,
                f'`{where(info, fn.name)}` does not match `callRemote("{best}")`',
                prefix + best,
                ambiguous=True,  # the call may be the misspelled side: no fix
            ),
        )


def check(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> Findings:
    """OC104 findings for one class."""
    # Incomplete classes are checked too: what matters is that the framework's base is known
    # (an unknown mixin defining a near miss of a handler name is not a realistic case).
    if info.is_interface or not info.summary.methods:
        return
    keys = ancestor_keys(info)
    if keys.isdisjoint(_WATCHED):
        return
    conventions = [c for c in CONVENTIONS if not keys.isdisjoint(c.bases)]
    tests = not keys.isdisjoint(TEST_CASE_BASES)
    pb = [p for k, p in PB_PREFIXES.items() if k in keys]
    methods = first_defs(info)
    found: list[tuple[str, Diagnostic]] = []
    if conventions:
        found.extend(_dispatch(ctx, mod, info, methods, conventions))
    if tests:
        found.extend(_tests(mod, info, methods))
    if pb:
        found.extend(_pb(ctx, mod, info, methods, pb))
    for name, d in found:
        if not ctx.names(mod).mentions(name):
            yield name, d


RULE = Rule(
    code="OC104",
    name="misspelled-handler",
    summary="Method name is a near miss of a handler the base class dispatches by prefix",
    doc="""\
## What it does
Checks for methods of name-dispatching frameworks whose names are a near miss of a handler
name the framework calls: `render_get`, `render_GTE` or `render_GER` on a Twisted `Resource`
(for `render_GET`: every handler is called by name, so a keyboard slip counts as it does for
a hook, short suffixes included), `irc_wallops` or `irc_RPL_WHOISUSR` on an `IRCClient`,
`ftp_mlsd` on `FTP`, `do_get` on `http.server.BaseHTTPRequestHandler`, `visit_Functiondef` on
`ast.NodeVisitor`, `visit_functiondef`/`leave_Functiondef` on libcst visitors and
transformers, and test methods whose `test` prefix is misspelled (`tset_login`, `Test_login`)
in `unittest`/trial test cases. A typo in the dispatch prefix itself is caught too when the
handler's suffix is intact (`rendr_GET`, `renderPOST`, `vist_Call`). For Perspective Broker,
a `remote_`/`view_`/`perspective_` method is compared with the `callRemote("name")` calls of
the linted tree: a method that no call reaches while a call with a near-miss name reaches no
method is reported.

The rule only fires on classes whose resolved base classes include the framework's class, so a
`render_get` method of an unrelated (for example aiocoap) resource is fine. Names the base
class defines (`render_HEAD`, `irc_unknown`, `dcc_sessions`, `do_UNKNOWN`) and names the module
itself refers to (`self.render_page(...)`) are never reported. A misspelling of a handler the
base class defines itself (`ftp_retr` for `FTP.ftp_RETR`, and every libcst `visit_`/`leave_`
name, which libcst's typed visitor bases define) is reported once: by OC101 when it reports
it, by OC104 otherwise.

The valid names are data (`overridecheck._conventions_data`): HTTP methods, IRC commands and the
reply names of Twisted's `symbolic_to_numeric` (read from its source), FTP, SMTP and POP3
commands, the node classes of Python's `ast` module (those of 3.10-3.13 and older names too,
whatever Python runs the tool) and libcst's node classes.

## Why is this bad?
These frameworks build the method name from the request (`"render_" + request.method`) and
look it up with `getattr`. A misspelled handler is never called: Twisted answers 405 or 501,
an IRC reply is silently dropped, a visitor skips the nodes, a test is never collected.

## Example
```python
from twisted.web.resource import Resource

class Page(Resource):
    def render_get(self, request):
        return b"hello"
```

## Use instead
```python
from twisted.web.resource import Resource

class Page(Resource):
    def render_GET(self, request):
        return b"hello"
```

## Fix safety
The fix renames the method to the suggestion. A `remote_` method that does not match a
`callRemote` call gets no fix: either side may be the misspelled one.

"""
    + RENAME_SAFETY,
    valid=(
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    isLeaf = True\n"
            "    def render_GET(self, request):\n"
            "        return self.render_page(request)\n"
            "    def render_HEAD(self, request):\n"
            "        return b''\n"
            "    def render_PROPFIND(self, request):\n"
            "        return b''\n"
            "    def render_page(self, request):  # a helper the module calls\n"
            "        return b''\n"
        ),
        Example(
            "class CoapResource:\n"
            "    def render_get(self, request):  # aiocoap style: not a Twisted resource\n"
            "        pass\n"
            "class Site(CoapResource):\n"
            "    def render_put(self, request):\n"
            "        pass\n"
        ),
        Example(
            "from twisted.words.protocols import irc\n"
            "class Bot(irc.IRCClient):\n"
            "    dcc_destdir = '/tmp'\n"
            "    def irc_unknown(self, prefix, command, params):\n"
            "        pass\n"
            "    def irc_RPL_WHOISUSER(self, prefix, params):\n"
            "        pass\n"
            "    def irc_RPL_ADMINLOC2(self, prefix, params):\n"
            "        pass\n"
            "    def irc_330(self, prefix, params):\n"
            "        pass\n"
        ),
        Example(
            "from twisted.mail import smtp\n"
            "class Server(smtp.ESMTP):\n"
            "    def do_UNKNOWN(self, rest):\n"
            "        pass\n"
        ),
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def render_HEH(self, request):  # a made-up method on purpose: no handler\n"
            "        return b''  # is a slip away\n"
        ),
        Example(
            "import ast\n"
            "class V(ast.NodeVisitor):\n"
            "    def visit_FunctionDef(self, node):\n"
            "        pass\n"
            "    def visit_Num(self, node):  # Python < 3.8 nodes are still valid names\n"
            "        pass\n"
        ),
        Example(
            "import libcst as cst\n"
            "class T(cst.CSTTransformer):\n"
            "    def visit_FunctionDef_body(self, node):  # attribute visitor\n"
            "        pass\n"
            "    def leave_Name(self, original_node, updated_node):\n"
            "        return updated_node\n"
        ),
        Example(
            "import unittest\n"
            "class T(unittest.TestCase):\n"
            "    def test_login(self):\n"
            "        self.est_value(1)\n"
            "    def est_value(self, value):  # a helper the module calls\n"
            "        pass\n"
            "    def testLogout(self):\n"
            "        pass\n"
        ),
    ),
    invalid=(
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def render_get(self, request):\n"
            "        return b''\n"
            "    def render_Post(self, request):\n"
            "        return b''\n",
            ((3, "render_GET", "safe"), (5, "render_POST", "safe")),
            fixed=(
                "from twisted.web.resource import Resource\n"
                "class Page(Resource):\n"
                "    def render_GET(self, request):\n"
                "        return b''\n"
                "    def render_POST(self, request):\n"
                "        return b''\n"
            ),
        ),
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def render_get(self, request):  # two renames onto one name: neither is\n"
            "        return b''\n"
            "    def render_GTE(self, request):  # offered, one would replace the other\n"
            "        return b''\n",
            ((3, "render_GET", "none"), (5, "render_GET", "none")),
        ),
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def render_GET(self, request):\n"
            "        return b'ok'\n"
            "    def render_get(self, request):  # renaming it would replace render_GET\n"
            "        return b'other'\n",
            ((5, "render_GET", "none"),),
        ),
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def render_get(self, request):\n"
            "        return b''\n"
            "class Mine(Page):  # defines render_GET: the rename changes its super() calls\n"
            "    def render_GET(self, request):\n"
            "        return b'mine'\n",
            ((3, "render_GET", "unsafe"),),
            fixed=(
                "from twisted.web.resource import Resource\n"
                "class Page(Resource):\n"
                "    def render_GET(self, request):\n"
                "        return b''\n"
                "class Mine(Page):  # defines render_GET: the rename changes its super() calls\n"
                "    def render_GET(self, request):\n"
                "        return b'mine'\n"
            ),
        ),
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def render_GER(self, request):  # a keyboard slip in a short suffix\n"
            "        return b''\n"
            "    def render_PIT(self, request):\n"
            "        return b''\n",
            ((3, "render_GET", "safe"), (5, "render_PUT", "safe")),
            fixed=(
                "from twisted.web.resource import Resource\n"
                "class Page(Resource):\n"
                "    def render_GET(self, request):  # a keyboard slip in a short suffix\n"
                "        return b''\n"
                "    def render_PUT(self, request):\n"
                "        return b''\n"
            ),
        ),
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def rendr_GET(self, request):  # a typo in the prefix itself\n"
            "        return b''\n"
            "    def renderPOST(self, request):\n"
            "        return b''\n"
            "    def rendering(self):  # not a handler name: left alone\n"
            "        return b''\n",
            ((3, "render_GET", "safe"), (5, "render_POST", "safe")),
            fixed=(
                "from twisted.web.resource import Resource\n"
                "class Page(Resource):\n"
                "    def render_GET(self, request):  # a typo in the prefix itself\n"
                "        return b''\n"
                "    def render_POST(self, request):\n"
                "        return b''\n"
                "    def rendering(self):  # not a handler name: left alone\n"
                "        return b''\n"
            ),
        ),
        Example(
            "from twisted.words.protocols import irc\n"
            "class Bot(irc.IRCClient):\n"
            "    def irc_wallops(self, prefix, params):\n"
            "        pass\n"
            "    def irc_RPL_WHOISUSR(self, prefix, params):\n"
            "        pass\n",
            ((3, "irc_WALLOPS", "safe"), (5, "irc_RPL_WHOISUSER", "safe")),
            fixed=(
                "from twisted.words.protocols import irc\n"
                "class Bot(irc.IRCClient):\n"
                "    def irc_WALLOPS(self, prefix, params):\n"
                "        pass\n"
                "    def irc_RPL_WHOISUSER(self, prefix, params):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from twisted.protocols.ftp import FTP\n"
            "class Server(FTP):\n"
            "    def ftp_mlsd(self, path):\n"
            "        pass\n"
            "    def ftp_ALLO(self, size):\n"
            "        pass\n",
            ((3, "ftp_MLSD", "safe"),),
            fixed=(
                "from twisted.protocols.ftp import FTP\n"
                "class Server(FTP):\n"
                "    def ftp_MLSD(self, path):\n"
                "        pass\n"
                "    def ftp_ALLO(self, size):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from http.server import BaseHTTPRequestHandler\n"
            "class Handler(BaseHTTPRequestHandler):\n"
            "    def do_get(self):\n"
            "        pass\n",
            ((3, "do_GET", "safe"),),
            fixed=(
                "from http.server import BaseHTTPRequestHandler\n"
                "class Handler(BaseHTTPRequestHandler):\n"
                "    def do_GET(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "import ast\n"
            "class V(ast.NodeTransformer):\n"
            "    def visit_Functiondef(self, node):\n"
            "        return node\n",
            ((3, "visit_FunctionDef", "safe"),),
            fixed=(
                "import ast\n"
                "class V(ast.NodeTransformer):\n"
                "    def visit_FunctionDef(self, node):\n"
                "        return node\n"
            ),
        ),
        Example(
            "from twisted.trial import unittest\n"
            "class T(unittest.TestCase):\n"
            "    def tset_login(self):\n"
            "        pass\n"
            "    def Test_logout(self):\n"
            "        pass\n",
            ((3, "test_login", "unsafe"), (5, "test_logout", "unsafe")),
            fixed=(
                "from twisted.trial import unittest\n"
                "class T(unittest.TestCase):\n"
                "    def test_login(self):\n"
                "        pass\n"
                "    def test_logout(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from twisted.spread import pb\n"
            "class Registers(pb.Root):\n"
            "    def remote_add_register(self, n):\n"
            "        pass\n"
            "    def remote_reset(self):\n"
            "        pass\n"
            "def client(root):\n"
            "    root.callRemote('add_registers', 1)  # one side is misspelled\n"
            "    root.callRemote('reset')\n",
            ((3, "remote_add_registers", "none"),),
        ),
    ),
    yields_to=("OC101",),
    check=check,
)
