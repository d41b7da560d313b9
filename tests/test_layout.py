"""The packages' layers: no import cycle, each layer imports only those below
it, and `search` uses only the names `indexer` lists in `__all__`.

Read from the source with `ast` (every import, also those inside functions),
so a test fails on the import that breaks a rule, not on whatever it breaks
at run time.  The last tests check that the checks can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("indexer", "search")

#: Within `search`, a module's layer: it may import its own layer and those below.
SEARCH_LAYERS = {"search.retrieval": 1, "search.claims": 2, "search.present": 3, "search": 4}
#: Within `indexer`: what reads documents and what stores the index know
#: nothing of each other nor of the run that uses them (`build`,
#: `document`, `parallel`).
INDEXER_LAYERS = {
    "indexer.errors": 0, "indexer.model": 0, "indexer.text": 0, "indexer.spellings": 0,
    "indexer.ids": 0, "indexer.forks": 0,
    "indexer.metadata": 0, "indexer.reading": 1, "indexer.storage": 1, "indexer": 2,
}


def modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Dotted module name -> file, for every module of `packages` under `root`."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, tuple[str, ...]]]:
    """What module `name` imports: `(module, names taken from it)` for each
    import of a module in `known` (`from pkg import mod` counts as `pkg.mod`)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            names = tuple(alias.name for alias in node.names)
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in known]
            found += [(module, ()) for module in submodules]
            rest = tuple(n for n in names if f"{base}.{n}" not in known)
            if rest or not submodules:
                found.append((base, rest))
    return [(module, names) for module, names in found if module.split(".")[0] in PACKAGES]


def graph(root: Path) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    known = modules(root)
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, list[tuple[str, tuple[str, ...]]]]) -> list[list[str]]:
    """The import cycles among the modules (each as the path that closes it)."""
    found, state = [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target, _ in edges.get(module, ()):
            if state.get(target) == "open":
                found.append([*trail[trail.index(target) :], target])
            elif target in edges and target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return found


def layer(module: str, layers: dict[str, int]) -> int:
    """The layer of `module`: that of the longest prefix `layers` names."""
    prefixes = [p for p in layers if module == p or module.startswith(p + ".")]
    return layers[max(prefixes, key=len)]


def violations(edges, public: set[str]) -> list[str]:
    """Every import that breaks a layering rule, as a readable line."""
    found = []
    for module, targets in sorted(edges.items()):
        for target, names in targets:
            where = f"{module} imports {target}"
            if module.startswith("indexer") and target.startswith("search"):
                found.append(f"{where}: indexer never imports search")
            elif module.startswith("search") and target.startswith("indexer"):
                if target != "indexer":
                    found.append(f"{where}: search takes indexer's public names only")
                elif not names or set(names) - public:
                    missing = sorted(set(names) - public) or ["indexer itself"]
                    found.append(f"{where}: {', '.join(missing)} not in indexer.__all__")
            elif module.startswith("search") and module != "search":
                if layer(target, SEARCH_LAYERS) > layer(module, SEARCH_LAYERS):
                    found.append(f"{where}: a layer above its own")
            elif module.startswith("indexer") and module != "indexer":
                own, other = layer(module, INDEXER_LAYERS), layer(target, INDEXER_LAYERS)
                same_level_other_branch = (
                    own == other == 1 and module.split(".")[1] != target.split(".")[1]
                )
                if other > own or same_level_other_branch:
                    found.append(f"{where}: a layer above or beside its own")
    return found


def public_names(root: Path) -> set[str]:
    """The names in `indexer/__init__.py`'s `__all__`."""
    tree = ast.parse((root / "indexer" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    return set()


def test_no_import_cycle():
    assert cycles(graph(ROOT)) == []


def test_each_layer_imports_only_those_below_and_indexer_public_names():
    assert violations(graph(ROOT), public_names(ROOT)) == []


def test_indexer_lists_only_names_it_has():
    import indexer

    assert all(hasattr(indexer, name) for name in indexer.__all__)


def test_search_exports_what_it_lists():
    import search

    for name in search.__all__:
        assert getattr(search, name) is not None, name


# --- the checks themselves --------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in PACKAGES:
        (root / package).mkdir(exist_ok=True)
        (root / package / "__init__.py").touch()
    return root


def test_a_cycle_is_found(tmp_path):
    """Two modules importing each other, one of them inside a function."""
    root = _tree(tmp_path, {
        "indexer/reading/__init__.py": "",
        "indexer/reading/a.py": "from .b import B\n",
        "indexer/reading/b.py": "def f():\n    from . import a\n",
    })
    assert cycles(graph(root)) == [["indexer.reading.a", "indexer.reading.b", "indexer.reading.a"]]


@pytest.mark.parametrize(
    "module, text, why",
    [
        ("search/retrieval/x.py", "from indexer.storage.store import IndexStore\n", "public names"),
        ("search/retrieval/x.py", "from indexer import secret\n", "not in indexer.__all__"),
        ("search/retrieval/x.py", "import indexer\n", "not in indexer.__all__"),
        ("search/retrieval/x.py", "from ..claims import words\n", "a layer above"),
        ("search/claims/x.py", "from search.present.cli import cli\n", "a layer above"),
        ("indexer/model.py", "from search import Index\n", "never imports search"),
        ("indexer/storage/x.py", "from ..reading import plain\n", "beside its own"),
        ("indexer/reading/x.py", "from .. import build\n", "above or beside"),
    ],
)
def test_a_forbidden_import_is_found(tmp_path, module, text, why):
    root = _tree(tmp_path, {
        "indexer/__init__.py": '__all__ = ["Passage"]\n',
        "indexer/build.py": "", "indexer/reading/__init__.py": "", "indexer/reading/plain.py": "",
        "indexer/storage/__init__.py": "", "search/claims/__init__.py": "",
        "search/claims/words.py": "", "search/present/__init__.py": "",
        "search/present/cli.py": "", "search/retrieval/__init__.py": "",
        module: text,
    })
    found = violations(graph(root), public_names(root))
    assert len(found) == 1 and why in found[0], found


def test_allowed_imports_pass(tmp_path):
    root = _tree(tmp_path, {
        "indexer/__init__.py": '__all__ = ["Passage"]\nfrom .model import Passage\n',
        "indexer/model.py": "",
        "search/retrieval/__init__.py": "",
        "search/retrieval/engine.py": "from indexer import Passage\n",
        "search/claims/__init__.py": "",
        "search/claims/words.py": "from ..retrieval.engine import Index\n",
    })
    assert violations(graph(root), public_names(root)) == []
