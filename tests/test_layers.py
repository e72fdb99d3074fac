"""The package's layers: imports only go down, and no module imports itself back through others.

Bottom → top: plain helpers and records → campaign → intake (file → ExtractResult) → ledger →
workspace → collect / issue / scoring (stages) → publish → sample → desk → cli. Function-level
imports count too: a late import is still a dependency.
"""
from __future__ import annotations

import ast
from pathlib import Path

import formgen

PACKAGE = Path(formgen.__file__).parent
# Top-level package or module of formgen → its layer. A new top-level name must be placed here.
LAYER = {
    "__init__": 0, "errors": 0, "forms": 0, "records": 0, "docxkit": 0, "xlsx": 0, "anchors": 0, "strokes": 0,
    "filenames": 0, "numeric": 0, "soffice": 0, "titles": 0, "outputs": 0, "lock": 0, "privacy": 0, "settings_model": 0,
    "campaign": 1,
    "intake": 2,
    "ledger": 3,
    "workspace": 4,
    "collect": 5, "issue": 5, "scoring": 5, "ballots": 5, "mail": 5,
    "publish": 6,
    "sample": 7,
    "desk": 8,  # the browser face (formgen desk); cli starts it
    "cli": 9,
}


def _modules() -> dict[str, Path]:
    out = {}
    for p in PACKAGE.rglob("*.py"):
        parts = list(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = p
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The formgen modules ``name`` imports (the longest existing module of each import)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for t in targets:
            parts = t.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            target = ".".join(parts)
            if target.startswith("formgen.") and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(m, p, modules) for m, p in modules.items()}


def _layer(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    assert top in LAYER, f"formgen.{top} has no layer: add it to LAYER in tests/test_layers.py"
    return LAYER[top]


def test_imports_only_go_down():
    upward = sorted(f"{m} → {t}" for m, targets in _graph().items() for t in targets
                    if m.split(".")[1:2] != t.split(".")[1:2] and _layer(t) > _layer(m))
    assert upward == []


def test_intake_knows_nothing_of_ledger_workspace_or_stages():
    graph = _graph()
    bad = sorted(f"{m} → {t}" for m, targets in graph.items() if m.startswith("formgen.intake")
                 for t in targets if t.split(".")[1] in ("ledger", "workspace", "collect", "scoring", "issue"))
    assert bad == []


def test_no_import_cycles():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert cycles == []
