"""Prints the workflow table and its state diagram, as docs/architecture.md shows them."""

from django.core.management.base import BaseCommand

from reviews.docs import workflow_markdown, workflow_mermaid


class Command(BaseCommand):
    help = "Print the workflow table (Markdown) and state diagram (Mermaid) of reviews/workflow.py."

    def handle(self, *args, **options):
        self.stdout.write(workflow_markdown())
        self.stdout.write("\n```mermaid\n" + workflow_mermaid() + "\n```")
