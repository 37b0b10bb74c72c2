"""The docs show the workflow the code enforces."""

from pathlib import Path

from reviews.docs import workflow_markdown

ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_it_shows_the_workflow_table_the_code_enforces():
    page = ARCHITECTURE.read_text(encoding="utf-8")
    documented = page.split("<!-- workflow:start -->")[1].split("<!-- workflow:end -->")[0]
    assert workflow_markdown() in documented, (
        "docs/architecture.md is out of date: paste the output of "
        "`python manage.py workflow_table` between the workflow markers."
    )
