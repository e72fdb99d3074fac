"""All WordprocessingML lives in formgen/docxkit.py and the docx reader (issue 7): elsewhere no ``w:``
names in code, no ``qn(``/``OxmlElement``, no reaching into python-docx's XML (``._p``, ``.xpath`` …)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import formgen

PACKAGE = Path(formgen.__file__).parent
XML_HOMES = {"docxkit.py", "intake/readers/docx_reader.py"}
# Byte signatures that identify a format before any reader runs are not XML handling.
SIGNATURES = {("intake/sniff.py", "<w:worddocument")}
W_NAME = re.compile(r"\bw:[A-Za-z]")
PRIVATE_XML = {"_p", "_r", "_tc", "_tbl", "_tr", "_element", "_sectPr", "xpath"}


def _docstrings(tree) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _offences(rel: str, source: str) -> list[str]:
    tree = ast.parse(source)
    docs = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and id(node) not in docs:
            text = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
            if W_NAME.search(text) and not any(rel == f and s in text for f, s in SIGNATURES):
                out.append(f"{where} w: name {text[:40]!r}")
        elif isinstance(node, ast.Name) and node.id in ("qn", "OxmlElement"):
            out.append(f"{where} {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE_XML:
            out.append(f"{where} .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("docx.oxml"):
            out.append(f"{where} import {node.module}")
    return out


def test_wordprocessingml_only_in_docxkit_and_the_docx_reader():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel not in XML_HOMES:
            found += _offences(rel, path.read_text(encoding="utf-8"))
    assert found == []


def test_the_check_sees_what_it_looks_for():
    src = 'p._p.get_or_add_pPr()\nel = OxmlElement("w:r")\nx = qn("w:val")\nfrom docx.oxml.ns import qn\n'
    assert len(_offences("x.py", src)) == 6  # ._p, OxmlElement, "w:r", qn, "w:val", the import
    assert _offences("x.py", '"""A w:p in a docstring is fine."""\n') == []
