"""Parsers that read the source documents in seed_data/ as data: the paper form's example goals,
the Collection Manager goal library and the 10 Key Responsibility Areas with their KPIs.

Nothing here touches the database, so data migrations and the demo command can both use it.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent / "seed_data"
FORM_SEED = "000_8d341361a6a84815.txt"
MANAGER_GOALS_SEED = "001_bf49ac5d0260b37c.txt"
KRA_SEED = "004_2acb708e97d44000.txt"


@dataclass(frozen=True)
class ResponsibilityArea:
    number: int
    name: str
    description: str
    short_description: str
    kpis: tuple[str, ...] = field(default_factory=tuple)


def _lines(seed_name: str) -> list[str]:
    return (SEED_DIR / seed_name).read_text(encoding="utf-8").splitlines()


@cache
def responsibility_areas() -> tuple[ResponsibilityArea, ...]:
    """The 10 KRAs of seed 004, each with its description and four KPIs."""
    areas: list[dict] = []
    for raw in _lines(KRA_SEED):
        line = raw.strip()
        heading = re.fullmatch(r"(\d+)\.\s+(.+)", line)
        if heading:
            areas.append({"number": int(heading[1]), "name": heading[2], "kpis": []})
        elif not areas:
            continue
        elif line.startswith("KRA:"):
            areas[-1]["description"] = line.removeprefix("KRA:").strip()
        elif line.startswith("Short Description:"):
            areas[-1]["short_description"] = line.removeprefix("Short Description:").strip()
        elif line.startswith("•"):
            areas[-1]["kpis"].append(line.removeprefix("•").strip())
        elif line and "kpis" in areas[-1] and len(areas[-1]["kpis"]) == 4:
            break  # the text after the tenth area is the author's biography
    return tuple(
        ResponsibilityArea(
            number=a["number"],
            name=a["name"],
            description=a.get("description", ""),
            short_description=a.get("short_description", ""),
            kpis=tuple(a["kpis"]),
        )
        for a in areas
    )


@cache
def form_example_goals() -> tuple[str, ...]:
    """The 20 example goals printed on the paper form (seed 000), in order."""
    lines = [line.strip() for line in _lines(FORM_SEED)]
    start = lines.index("Employee Comments") + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("Sections 1-2"))
    return tuple(
        line for line in lines[start:end] if line and line != "[employee comments goal]"
    )


@cache
def manager_goals() -> tuple[str, ...]:
    """The Collection Manager goals and objectives of seed 001, in order."""
    lines = [line.strip() for line in _lines(MANAGER_GOALS_SEED)]
    start = lines.index("Collection Manager Goals and Objectives Examples") + 1
    return tuple(line for line in lines[start:] if line)


@cache
def form_acknowledgement() -> str:
    """The sentence the employee acknowledges when signing, as printed on the paper form."""
    return next(line.strip() for line in _lines(FORM_SEED) if line.startswith("I acknowledge"))
