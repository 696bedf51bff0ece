"""Seeded handler typos (bench/seeded_handlers.py) on a small self-made project.

Real handler definitions (``render_GET``, ``irc_PRIVMSG``, ``do_GET``, ``visit_FunctionDef``,
``setUp``/``tearDown``, ``test_*``) are renamed to realistic typos; OC101 or OC104 must report
>= 90% of them with the original name as the suggestion.  The whole corpus is measured by
``python bench/seeded_handlers.py``.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent
BENCH = HERE.parent / "bench" / "seeded_handlers.py"

FILES = {
    "__init__.py": "",
    "web.py": """\
        from twisted.web.resource import Resource

        class Page(Resource):
            isLeaf = True

            def render_GET(self, request):
                return b"page"

            def render_POST(self, request):
                return b"posted"

            def render_DELETE(self, request):
                return b"gone"
        """,
    "bot.py": """\
        from twisted.words.protocols import irc

        class Bot(irc.IRCClient):
            nickname = "bot"

            def irc_RPL_WHOISUSER(self, prefix, params):
                pass

            def irc_INVITE(self, prefix, params):
                pass

            def irc_PRIVMSG(self, prefix, params):
                pass
        """,
    "server.py": """\
        from http.server import BaseHTTPRequestHandler

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                pass

            def do_OPTIONS(self):
                pass
        """,
    "visitor.py": """\
        import ast

        class Names(ast.NodeVisitor):
            def visit_FunctionDef(self, node):
                self.generic_visit(node)

            def visit_ClassDef(self, node):
                self.generic_visit(node)
        """,
    "test_things.py": """\
        from twisted.trial import unittest
        from .base import Base

        class Things(Base):
            def setUp(self):
                pass

            def tearDown(self):
                pass

            def test_login(self):
                pass

        class More(unittest.TestCase):
            def test_logout(self):
                pass
        """,
    "base.py": """\
        import unittest

        class Base(unittest.TestCase):
            pass
        """,
}


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("seeded_handlers", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_seeded_handler_typos(tmp_path: Path) -> None:
    sh = _load_bench()
    pkg = tmp_path / "proj"
    pkg.mkdir()
    for name, code in FILES.items():
        (pkg / name).write_text(textwrap.dedent(code), encoding="utf-8")
    loader = sh._Loader()
    sites, roots = sh.find_sites("proj", sh.py_files(str(pkg)), loader)
    groups = {s.group for s in sites}
    assert groups == {"render_", "irc_", "do_", "visit_", "setUp/tearDown", "test"}
    outcomes = sh.run_sites(sites, roots, loader, seed=1)
    assert len(outcomes) >= 40
    detected = sum(o.detected for o in outcomes) / len(outcomes)
    right = sum(o.right for o in outcomes) / len(outcomes)
    details = "\n".join(sh.report(outcomes) + sh.misses(outcomes))
    assert detected >= sh.THRESHOLD, details
    assert right >= sh.THRESHOLD, details
    assert any(o.code == "OC104" for o in outcomes)
