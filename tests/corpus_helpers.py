"""The shared corpus beside the repository (../shared/corpus) and its scorer, for the tests that use them."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "truth.json").exists(), reason="shared corpus absent")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")


def load_scorer():
    """shared/tools/score_corpus.py as a module: the same comparison the corpus score uses."""
    spec = importlib.util.spec_from_file_location("score_corpus", SHARED / "tools" / "score_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def truth(variants) -> list[dict]:
    """truth.json entries of the given variants (none when the corpus is absent)."""
    if not (CORPUS / "truth.json").exists():
        return []
    data = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
    return [e for e in data["files"] if e["variant"] in variants]
