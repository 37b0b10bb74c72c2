"""Sections that other packages add to the sheet page (the archive's PDF block, …).

The workflow core never imports the packages built on it; they register a template here in
their AppConfig.ready(), and the sheet page includes each one with the page's own context
(`sheet`, `view`, `can`, …). Order is registration order, that is INSTALLED_APPS order."""

_sheet_panels: list[str] = []


def register_sheet_panel(template_name: str) -> None:
    if template_name not in _sheet_panels:
        _sheet_panels.append(template_name)


def sheet_panels() -> tuple[str, ...]:
    return tuple(_sheet_panels)
