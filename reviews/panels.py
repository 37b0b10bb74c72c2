"""Sections that other packages add to the sheet page (the archive's PDF block, …).

The workflow core never imports the packages built on it; they register a template here in
their AppConfig.ready(), and the sheet page includes each one with the page's own context
(`sheet`, `view`, `can`, …). Order is registration order, that is INSTALLED_APPS order.

The table of an amended sheet's versions takes columns the same way: a heading and a template
included in each row with `version` (a GoalSheet) besides the page's context (the archive adds
each version's signed PDF)."""

_sheet_panels: list[str] = []
_version_cells: list[tuple[str, str]] = []


def register_sheet_panel(template_name: str) -> None:
    if template_name not in _sheet_panels:
        _sheet_panels.append(template_name)


def sheet_panels() -> tuple[str, ...]:
    return tuple(_sheet_panels)


def register_version_cell(heading: str, template_name: str) -> None:
    if (heading, template_name) not in _version_cells:
        _version_cells.append((heading, template_name))


def version_cells() -> tuple[tuple[str, str], ...]:
    return tuple(_version_cells)
