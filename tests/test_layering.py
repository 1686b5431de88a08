"""The house rules of the code base, checked on the source itself.

    app.py, serve.py, pages/ -> ui/ -> services/ -> layers/, store/, formats/, datapack/ -> geo/
    -> rules/, config/ -> libraries

An import may point down the list or stay inside its own package; never up, never
sideways between two packages of one floor. Only app.py, pages/ and ui/ import
streamlit (and every ui/ module does); geo/ and rules/ read no files and no
environment; only config/ reads the environment; benchmarks never import ui/.
Module-level imports between the app's modules form no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Each package's floor: an import must go to a lower floor or stay in its package.
FLOORS: dict[str, int] = {
    "app": 5,
    "serve": 5,
    "pages": 5,
    "ui": 4,
    "services": 3,
    "layers": 2,
    "store": 2,
    "formats": 2,
    "datapack": 2,
    "geo": 1,
    "rules": 0,
    "config": 0,
}
# Tools around the app: they may use any floor but the screens.
TOOLS: dict[str, frozenset[str]] = {
    "benchmarks": frozenset({"ui", "pages", "app"}),
    "devtools": frozenset({"ui", "pages", "app"}),
    "scripts": frozenset({"ui", "pages", "app"}),
    "deploy": frozenset({"ui", "pages", "app"}),
}
# Tools may drive pages through streamlit.testing (AppTest); the app's own floors may not.
STREAMLIT_PACKAGES = frozenset({"app", "pages", "ui"})
PURE_PACKAGES = frozenset({"geo", "rules"})
# Calls and modules that read or write files, or read the environment.
FILE_AND_ENV_NAMES = frozenset(
    {
        "open",
        "read_file",
        "read_bytes",
        "read_text",
        "write_bytes",
        "write_text",
        "read_dataframe",
        "tempfile",
        "environ",
        "getenv",
        "urlopen",
    }
)


@dataclass(frozen=True, slots=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # what it imports, dotted (a module or a name in one)
    line: int
    top_level: bool  # at module level (runs on import), not inside a function


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path) -> Iterator[Path]:
    """The app's Python files (not tests, not installed packages)."""
    for path in sorted(root.rglob("*.py")):
        top = path.relative_to(root).parts[0]
        if top.removesuffix(".py") in FLOORS or top in TOOLS:
            yield path


def imports_of(path: Path, root: Path) -> Iterator[Import]:
    module = _module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno, id(node) in top_level)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield Import(
                    module, f"{node.module}.{alias.name}", node.lineno, id(node) in top_level
                )


def _package(dotted: str) -> str:
    return dotted.split(".")[0]


def direction_violations(root: Path) -> list[str]:
    """Every import that points up or sideways, as 'file:line module -> target'."""
    found = []
    for path in source_files(root):
        for imp in imports_of(path, root):
            source, target = _package(imp.module), _package(imp.target)
            if target not in FLOORS or source == target:
                continue
            where = f"{path.relative_to(root)}:{imp.line} {imp.module} -> {imp.target}"
            if source in TOOLS:
                if target in TOOLS[source]:
                    found.append(where)
            elif FLOORS[target] >= FLOORS[source]:
                found.append(where)
    return found


def streamlit_violations(root: Path) -> list[str]:
    found = []
    for path in source_files(root):
        package = _package(_module_name(path, root))
        uses = any(_package(i.target) == "streamlit" for i in imports_of(path, root))
        relative = path.relative_to(root)
        if uses and package not in STREAMLIT_PACKAGES and package not in TOOLS:
            found.append(f"{relative} imports streamlit")
        if package == "ui" and path.name != "__init__.py" and not uses:
            found.append(f"{relative} is in ui/ but does not import streamlit")
    return found


def file_and_env_violations(root: Path) -> list[str]:
    """Names in geo/ and rules/ that read files or the environment; `os.environ`
    anywhere outside config/."""
    found = []
    for path in source_files(root):
        package = _package(_module_name(path, root))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id
                if isinstance(node, ast.Name)
                else node.names[0].name
                if isinstance(node, ast.Import)
                else None
            )
            if name is None:
                continue
            pure_reads = package in PURE_PACKAGES and name in FILE_AND_ENV_NAMES
            env_reads = name in ("environ", "getenv") and package not in ("config", *TOOLS)
            if pure_reads or env_reads:
                found.append(f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)} {name}")
    return found


def import_cycles(root: Path) -> list[list[str]]:
    """Cycles among the app's modules through module-level imports."""
    modules = {_module_name(p, root): p for p in source_files(root)}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imp in imports_of(path, root):
            if not imp.top_level:
                continue
            target = imp.target if imp.target in modules else imp.target.rpartition(".")[0]
            if target in modules and target != name:
                graph[name].add(target)
    return _cycles(graph)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_imports_point_down_the_floors() -> None:
    assert direction_violations(ROOT) == []


def test_only_the_screens_import_streamlit_and_every_ui_module_does() -> None:
    assert streamlit_violations(ROOT) == []


def test_geo_and_rules_read_no_files_and_only_config_reads_the_environment() -> None:
    assert file_and_env_violations(ROOT) == []


def test_no_import_cycles() -> None:
    assert import_cycles(ROOT) == []


def test_no_application_module_is_over_400_lines() -> None:
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in source_files(ROOT)
        if _package(_module_name(p, ROOT)) in FLOORS
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert long == []


# --- the checks themselves catch what they are for -------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"geo/crs.py": "from ui.i18n import t\n"}, "geo.crs -> ui.i18n.t"),
        ({"store/pins.py": "import services.demo\n"}, "store.pins -> services.demo"),
        ({"layers/pins.py": "from store import Store\n"}, "layers.pins -> store.Store"),
        ({"rules/roles.py": "from geo.crs import to_metric\n"}, "rules.roles -> geo.crs.to_metric"),
        ({"benchmarks/bench_x.py": "from ui.comparison import show\n"}, "ui.comparison.show"),
    ],
)
def test_a_wrong_import_is_reported(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    found = direction_violations(_tree(tmp_path, files))
    assert len(found) == 1 and expected in found[0]


def test_a_downward_import_is_allowed(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "ui/map.py": "import streamlit as st\nfrom services.pins import view\n",
            "services/pins.py": "from store import Store\nfrom geo.crs import to_metric\n",
            "geo/crs.py": "from rules.errors import N_\n",
        },
    )
    assert direction_violations(root) == []
    assert streamlit_violations(root) == []


def test_streamlit_outside_the_screens_and_ui_without_it_are_reported(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "services/x.py": "import streamlit as st\n",
            "ui/y.py": "from geo.crs import STORAGE_CRS\n",
        },
    )
    assert sorted(streamlit_violations(root)) == [
        "services/x.py imports streamlit",
        "ui/y.py is in ui/ but does not import streamlit",
    ]


def test_file_reading_in_geo_and_environment_outside_config_are_reported(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "geo/a.py": "import geopandas as gpd\nframe = gpd.read_file('x.gpkg')\n",
            "store/b.py": "import os\nurl = os.environ.get('SQ_DB')\n",
            "config/settings.py": "import os\nurl = os.environ.get('SQ_DB')\n",
        },
    )
    assert [v.split(" ")[-1] for v in file_and_env_violations(root)] == ["read_file", "environ"]


def test_a_cycle_is_reported(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {"geo/a.py": "from geo.b import f\n", "geo/b.py": "from geo.a import g\n"},
    )
    assert import_cycles(root) == [["geo.a", "geo.b"]]
