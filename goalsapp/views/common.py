"""What every page shares: the 403 page with a reason (for both apps), and CSV exports of a
table."""

from django.http import HttpResponse
from django.shortcuts import render

from .. import csv_safe


def forbidden(request, reason: str):
    """The one 403 page: the sentence says why, nothing else about the object is shown."""
    return render(request, "forbidden.html", {"reason": reason}, status=403)


def csv_response(file_name: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    writer = csv_safe.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def wants_csv(request) -> bool:
    return request.GET.get("export") == "csv"
