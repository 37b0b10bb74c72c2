"""The collector KPI dashboard: every KPI by collector, team, territory, title or tier, for a
period as of a day the ledger was computed, with a chart, a table and its CSV."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from goalsapp import dashboards
from goalsapp.access import dashboard_scope, may_see_collector_kpis
from goalsapp.kpis import KPIS
from goalsapp.views.common import csv_response, forbidden, wants_csv

from . import dashboard
from .kpis import FORMULA_TEXT


@login_required
def collector_kpis(request):
    if not may_see_collector_kpis(request.user):
        return forbidden(request, "The collector KPI dashboard is for Human Resources and "
                                  "supervisors (for their line).")
    today = timezone.localdate()
    all_periods = dashboards.periods()
    period = dashboards.chosen_period(all_periods, request.GET.get("period"), today)
    all_snapshots = dashboard.snapshots(period) if period else []
    snapshot = dashboard.chosen_snapshot(all_snapshots, request.GET.get("as_of"))
    group_by = request.GET.get("group_by")
    group_by = group_by if group_by in dashboard.GROUPINGS else "collector"
    heading = dashboard.GROUPINGS[group_by][1]
    scope = dashboard_scope(request.user)
    rows, overall = (dashboard.kpi_rows(snapshot, scope, group_by=group_by) if snapshot
                     else ([], None))
    if wants_csv(request):
        return csv_response(
            f"collector-kpis-{group_by}-{snapshot.as_of if snapshot else 'none'}.csv",
            [heading.lower(), "collectors", *[kpi.name for kpi in KPIS]],
            [[row.label, row.collectors, *[row.values[kpi.code] for kpi in KPIS]]
             for row in ([*rows, overall] if overall else rows)])
    page = Paginator(rows, dashboard.ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    chart = {
        "type": "bar",
        "data": {"labels": [row.label for row in rows],
                 "datasets": [{"label": "CEI (%)", "backgroundColor": "#0d6efd",
                               "data": [float(row.values["cei"]) if row.values["cei"] is not None
                                        else None for row in rows]}]},
        "options": {"indexAxis": "y", "scales": {"x": {"beginAtZero": True, "title": {
            "display": True, "text": "collection effectiveness index, %"}}}},
    }
    return render(request, "ar/collector_kpis.html", {
        "periods": all_periods, "period": period, "snapshots": all_snapshots,
        "snapshot": snapshot, "group_by": group_by, "heading": heading,
        "groupings": [(key, label) for key, (_f, label) in dashboard.GROUPINGS.items()],
        "rows": rows, "page": page, "overall": overall, "kpis": KPIS, "everyone": scope is None,
        "chart": chart, "tab": "collector_kpis",
        "formulas": [(kpi.code, kpi.name, FORMULA_TEXT[kpi.code]) for kpi in KPIS]})
