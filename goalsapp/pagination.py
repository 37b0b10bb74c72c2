"""A paginator that reads a page of a queryset and the total in one query.

Django's Paginator asks `count()` first and the page's rows second, and for the sheet list
both queries compute the viewer's line again (bench/pages.py: a fifth of the page). Here the
page's rows carry the total as `COUNT(*) OVER ()`, computed before the LIMIT, so a page that has
rows costs one query. Any other page (past the end or below 1, a hand-typed number) falls back
to Django's own handling: the count, then the last page.
"""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

_TOTAL = "pagination_total"


def with_total(queryset: QuerySet) -> QuerySet:
    """The rows with the number of all of them on each, as OneQueryPaginator reads it."""
    return queryset.annotate(**{_TOTAL: Window(Count("pk"))})


class OneQueryPaginator(Paginator):
    def __init__(self, object_list, per_page, *,
                 first_page: Callable[[], list] | None = None, **options):
        """`first_page`: gives the first page's rows, as with_total(object_list)[:per_page]
        would (a compiled query, goalsapp.compiled_queries: the page most often asked for)."""
        super().__init__(object_list, per_page, **options)
        self.first_page = first_page

    def get_page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1  # as Django: no number is the first page
        if number < 1 or self.orphans:  # Django's own way: the last page; orphans move rows
            return super().get_page(number)
        if number == 1 and self.first_page is not None:
            rows = self.first_page()
        else:
            bottom = (number - 1) * self.per_page
            rows = list(with_total(self.object_list)[bottom:bottom + self.per_page])
        if not rows:  # past the end, or nothing to list: the count, then the last page
            return super().get_page(number)
        self.__dict__["count"] = getattr(rows[0], _TOTAL)  # Paginator.count is cached there
        return self._get_page(rows, number, self)
