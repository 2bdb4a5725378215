"""Where Korean text still sits in code: string literals of Python (docstrings aside) and JavaScript
(comments aside) under src/jibsa, outside words/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jibsa

SRC = Path(jibsa.__file__).parent
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\w])//[^\n]*", re.DOTALL)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def python_has_korean(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and HANGUL.search(node.value)
        for node in ast.walk(tree)
    )


def js_has_korean(path: Path) -> bool:
    return bool(HANGUL.search(_JS_COMMENT.sub("", path.read_text(encoding="utf-8"))))


def files_with_korean() -> set[str]:
    """Every code file under src/jibsa (relative, '/'-separated) with Korean in its strings, words/ aside."""
    found = set()
    for path in sorted(SRC.rglob("*.py")) + sorted(SRC.rglob("*.js")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith(("words/", "web/vendor/")):
            continue
        if (python_has_korean if path.suffix == ".py" else js_has_korean)(path):
            found.add(relative)
    return found
