"""The packages depend one way (docs/architecture.md): goalsapp imports no other app; the
workflow core (reviews) imports goalsapp and never a package built on it (archive,
notifications, demo), nor do its templates name one. A new import against the arrows fails here,
not in a review months later."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILT_ON_THE_CORE = ("reviews.archive", "reviews.notifications", "reviews.demo", "reviews.api")
PACKAGE_DIRS = {name: ROOT / name.replace(".", "/") for name in BUILT_ON_THE_CORE}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports_in(path.read_text(), package)


def _imports_in(source: str, package: str) -> set[str]:
    """Every module `source` (a module of `package`) imports, relative imports resolved, at
    any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _python_files(directory: Path, *, leaving_out=()) -> list[Path]:
    return [path for path in directory.rglob("*.py")
            if not any(path.is_relative_to(other) for other in leaving_out)]


def _against(imports: set[str], packages) -> set[str]:
    return {name for name in imports
            if any(name == package or name.startswith(f"{package}.") for package in packages)}


@pytest.mark.parametrize("path", _python_files(ROOT / "goalsapp"), ids=str)
def test_goalsapp_imports_no_other_app(path):
    assert not _against(_imports(path), ("reviews", "config")), path


@pytest.mark.parametrize("path", _python_files(ROOT / "reviews",
                                               leaving_out=PACKAGE_DIRS.values()), ids=str)
def test_the_workflow_core_never_imports_a_package_built_on_it(path):
    assert not _against(_imports(path), BUILT_ON_THE_CORE), path


@pytest.mark.parametrize("package", ["reviews.archive", "reviews.notifications"])
def test_capabilities_do_not_import_each_other(package):
    others = [name for name in BUILT_ON_THE_CORE if name != package]
    for path in _python_files(PACKAGE_DIRS[package]):
        assert not _against(_imports(path), others), path


def test_the_cores_templates_name_no_package_built_on_it():
    names = r"archive/|notifications/|'(sheet_pdf\w*|archive_\w+|export_job\w*|notification\w*)'"
    for template in (ROOT / "templates" / "reviews").rglob("*.html"):
        assert not re.search(names, template.read_text()), template


def test_the_checker_sees_a_forbidden_import():
    # The tests above would pass vacuously if imports were missed: each form is caught.
    source = ("from ..archive import services\nimport reviews.notifications.models\n"
              "def later():\n    from reviews.demo import apps\n")
    assert _against(_imports_in(source, "reviews.views"), BUILT_ON_THE_CORE) >= {
        "reviews.archive.services", "reviews.notifications.models", "reviews.demo.apps"}


# Single sign-on, the people sync and the AR ledger are apps built on goalsapp (goalsapp/sso/,
# goalsapp/people_sync/): the core and the workflow never import them; only config wires them in.
BUILT_ON_GOALSAPP = ("goalsapp.sso", "goalsapp.people_sync", "goalsapp.ar")
GOALSAPP_PACKAGES = [ROOT / name.replace(".", "/") for name in BUILT_ON_GOALSAPP]


# The API and the demo are built on the core and may use the AR ledger as they use every
# other package: the API loads it through goalsapp.ar's services (one write path for files
# and batches), the demo fills it. The core of either app still never names it.
MAY_USE_THE_LEDGER = [ROOT / "reviews" / "api", ROOT / "reviews" / "demo"]


@pytest.mark.parametrize("path", [
    *_python_files(ROOT / "goalsapp", leaving_out=GOALSAPP_PACKAGES),
    *_python_files(ROOT / "reviews", leaving_out=MAY_USE_THE_LEDGER),
], ids=str)
def test_nothing_but_config_imports_a_package_built_on_goalsapp(path):
    assert not _against(_imports(path), BUILT_ON_GOALSAPP), path


@pytest.mark.parametrize("path", [path for package in MAY_USE_THE_LEDGER
                                  for path in _python_files(package)], ids=str)
def test_the_api_and_the_demo_use_no_package_built_on_goalsapp_but_the_ledger(path):
    assert not _against(_imports(path), ("goalsapp.sso", "goalsapp.people_sync")), path


@pytest.mark.parametrize("path", [path for package in GOALSAPP_PACKAGES
                                  for path in _python_files(package)], ids=str)
def test_packages_built_on_goalsapp_know_nothing_of_the_workflow(path):
    assert not _against(_imports(path), ("reviews", "config")), path
