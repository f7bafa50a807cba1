"""The house: the four domain apps are floors, each importing only the ones below it, and none
imports the site (config/). A screen belongs in config/portal, config/me or config/office; a rule
in a service of the app that owns the data."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Bottom to top: an app may import the ones before it in this list.
FLOORS = ["workstations", "members", "consultations", "outcomes"]


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path


def _imported(node: ast.AST, path: Path) -> list[str]:
    """The absolute module names an import statement brings in (relative ones resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            package = path.relative_to(ROOT).parent.parts
            base = package[: len(package) - node.level + 1]
            return [".".join([*base, node.module] if node.module else base)]
        return [node.module] if node.module else []
    return []


def upward_imports() -> list[str]:
    found = []
    for rank, app in enumerate(FLOORS):
        for path in _modules(app):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                for module in _imported(node, path):
                    top = module.split(".")[0]
                    if top == "config" or (top in FLOORS and FLOORS.index(top) > rank):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
    return found


def test_no_domain_app_imports_a_higher_app_or_config():
    assert upward_imports() == []


def test_the_guard_sees_an_upward_import(tmp_path, monkeypatch):
    """The walk finds an import in the middle of a function, relative or absolute."""
    app = tmp_path / "members"
    app.mkdir()
    (app / "views.py").write_text("def page():\n    from outcomes.figures import x\n")
    (tmp_path / "workstations").mkdir()
    (tmp_path / "workstations" / "bad.py").write_text("from config.portal import tenant\n")
    for name in ("consultations", "outcomes"):
        (tmp_path / name).mkdir()
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert upward_imports() == [
        "workstations/bad.py:1 imports config.portal",
        "members/views.py:2 imports outcomes.figures",
    ]


def test_no_screen_is_left_in_a_domain_app():
    """Views, URL modules, forms of pages and template tags live in config/, by audience."""
    screens = [
        str(path.relative_to(ROOT))
        for app in FLOORS
        for path in _modules(app)
        if path.name in {"views.py", "urls.py", "forms.py"} or "templatetags" in path.parts
    ]
    assert screens == []


def test_every_word_the_site_takes_for_itself_is_refused_as_a_committee_address():
    """A committee's address is the first word of its pages (``/hanshan/``): a committee may not
    take a word of the site's own addresses (``/admin/``, ``/text-size/`` …), which come first."""
    import re

    from django.core.exceptions import ValidationError

    from config import urls
    from workstations.models import validate_committee_slug

    words = set()
    for pattern in urls.urlpatterns:
        first = str(pattern.pattern).split("/")[0]
        if re.fullmatch(r"[-a-zA-Z0-9_]+", first):  # not the portal's "<slug:committee>/"
            words.add(first)
    assert {"admin", "healthz", "files", "i18n", "text-size"} <= words
    for word in words:
        try:
            validate_committee_slug(word)
        except ValidationError:
            continue
        raise AssertionError(f"/{word}/ is the site's own, yet a committee may take it")
