"""The layout tells the architecture: imports run one way only,
entry points (cli/, scripts/, benchmarks/) → flows → cchc → transforms.
Every import counts, also one inside a function."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What each layer must never import: the layers above it (and, for transforms, Prefect).
FORBIDDEN = {
    "transforms": {"cchc", "flows", "cli", "prefect"},
    "cchc": {"flows", "cli"},
    "flows": {"cli"},
}


def upward_imports(path: Path, forbidden: set[str], root: Path = ROOT) -> list[str]:
    """`path:line imported` (path relative to `root`) for every import of a top-level
    package in `forbidden`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [f"{path.relative_to(root)}:{node.lineno} {name}"
                  for name in names if name.split(".")[0] in forbidden]
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_a_layer_above_it(layer):
    modules = sorted((ROOT / layer).rglob("*.py"))
    assert modules, f"no modules under {layer}/"
    wrong = [hit for module in modules for hit in upward_imports(module, FORBIDDEN[layer])]
    assert wrong == [], f"{layer}/ must not import {sorted(FORBIDDEN[layer])}:\n" + "\n".join(wrong)


def test_an_upward_import_is_found(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\ndef f():\n    from flows.pipeline import cchc_pipeline\n"
                      "import cchc.store\nfrom transforms import schema\n", encoding="utf-8")
    assert upward_imports(module, FORBIDDEN["cchc"], tmp_path) == ["m.py:3 flows.pipeline"]
    assert sorted(upward_imports(module, FORBIDDEN["transforms"], tmp_path)) == [
        "m.py:3 flows.pipeline", "m.py:4 cchc.store"]
