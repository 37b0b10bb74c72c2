"""Renders the workflow table as Markdown and as a Mermaid state diagram, for
docs/architecture.md (kept in step by a test) and `manage.py workflow_table`."""

from .workflow import ROLE_NAMES, TABLE


def workflow_markdown() -> str:
    lines = ["| from | action | who | to | guard |", "| --- | --- | --- | --- | --- |"]
    for action in TABLE:
        to = (" or ".join(state.value for state in action.targets)
              or (f"{action.new_version_in.value} (a new version)" if action.new_version_in
                  else f"{action.source.value} (a step)"))
        lines.append(f"| {action.source.value} | {action.label} (`{action.name}`) | "
                     f"{ROLE_NAMES[action.actor]} | {to} | {action.guard} |")
    return "\n".join(lines)


def workflow_mermaid() -> str:
    lines = ["stateDiagram-v2", "    [*] --> drafting"]
    drawn = set()
    for action in TABLE:
        for target in action.targets:
            lines.append(f"    {action.source.value} --> {target.value}: {action.label}")
        # An amendment starts a new version; drawn once however many roles may start it.
        if action.new_version_in and action.name not in drawn:
            drawn.add(action.name)
            lines.append(f"    {action.source.value} --> {action.new_version_in.value}: "
                         f"{action.label} (a new version)")
    # Opening the closing review is not a row of the table: the period's end opens it, or HR.
    lines.append("    signed --> closing_self_assessment: Open closing (period end, or HR)")
    lines.append("    closed --> [*]")
    return "\n".join(lines)
