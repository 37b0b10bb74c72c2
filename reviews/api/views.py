"""The API's endpoints. Each read starts from the access policy's querysets, each write asks the
policy's `may_*` and then one goalsapp service: the same rules and messages as the pages."""

from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from goalsapp import access, dashboards, services
from goalsapp.models import Employee, GoalSheet, ProgressEntry, ReviewPeriod, SheetState
from reviews.archive.services import archive_of
from reviews.models import GoalAnswer

from . import serializers as s
from .idempotency import idempotent
from .models import ApiToken
from .problems import problem

PROBLEM = OpenApiResponse(s.ProblemSerializer, description="RFC 9457 problem details")
ERRORS = {(code, "application/problem+json"): PROBLEM for code in (400, 401, 403, 404, 422, 429)}


def _refuse(problems: dict[str, str]):
    """A service's refusal, field by field, as the API's 422."""
    raise ValidationError({field or "non_field_errors": [sentence]
                           for field, sentence in problems.items()})


# People ----------------------------------------------------------------------------------------

class EmployeeFilter(filters.FilterSet):
    employee_number = filters.CharFilter()
    title = filters.CharFilter()
    territory = filters.CharFilter()
    performance_tier = filters.ChoiceFilter(choices=Employee.Tier.choices)
    supervisor_number = filters.CharFilter(field_name="supervisor__employee_number")
    is_active = filters.BooleanFilter()

    class Meta:
        model = Employee
        fields = ["employee_number", "title", "territory", "performance_tier",
                  "supervisor_number", "is_active"]


@extend_schema(responses={200: s.EmployeeSerializer, **ERRORS})
class EmployeeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People: everyone the caller may see (HR and admins: everyone; a supervisor: their line;
    anyone: themselves). HR and admins create, change and deactivate people."""

    serializer_class = s.EmployeeSerializer
    filterset_class = EmployeeFilter
    write_scope = ApiToken.Scope.WRITE_PEOPLE
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (access.employees_visible_to(self.request.user)
                .select_related("user", "supervisor").order_by("employee_number", "pk"))

    def _require_may_manage(self):
        if not access.may_manage_people(self.request.user):
            raise PermissionDenied("Only HR and administrators change people.")

    def _values(self, data: dict) -> dict:
        values = {name: data[name] for name in services.PERSON_FIELDS if name in data}
        if "supervisor_number" in data:
            values["supervisor"] = data["supervisor_number"]
        return values

    @extend_schema(request=s.EmployeeWriteSerializer, responses={201: s.EmployeeSerializer,
                                                                  **ERRORS},
                   parameters=[OpenApiParameter("Idempotency-Key", str, "header")])
    def create(self, request):
        self._require_may_manage()

        def write():
            incoming = s.EmployeeWriteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            data = incoming.validated_data
            try:
                employee = services.employee_save(
                    actor=request.user, values={"employee_number": data["employee_number"],
                                                **self._values(data)},
                    email=data.get("email"))
            except services.PeopleRefused as refused:
                _refuse(refused.problems)
            return Response(s.EmployeeSerializer(employee).data, status=status.HTTP_201_CREATED)
        return idempotent(request, write)

    @extend_schema(request=s.EmployeeWriteSerializer(partial=True),
                   responses={200: s.EmployeeSerializer, **ERRORS},
                   parameters=[OpenApiParameter("Idempotency-Key", str, "header")])
    def partial_update(self, request, pk=None):
        employee = self.get_object()
        self._require_may_manage()

        def write():
            incoming = s.EmployeeWriteSerializer(data=request.data, partial=True)
            incoming.is_valid(raise_exception=True)
            data = incoming.validated_data
            number = data.get("employee_number")
            if number is not None and number != employee.employee_number:
                _refuse({"employee_number": "An employee number never changes: create the "
                                            "person anew if the HRIS gave them a new one."})
            try:
                saved = services.employee_save(actor=request.user, employee=employee,
                                               values=self._values(data),
                                               email=data.get("email"))
            except services.PeopleRefused as refused:
                _refuse(refused.problems)
            return Response(s.EmployeeSerializer(saved).data)
        return idempotent(request, write)


# Periods ---------------------------------------------------------------------------------------

@extend_schema(responses={200: s.PeriodSerializer, **ERRORS})
class PeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Review periods, seen by everyone signed in; HR and administrators create and change them."""

    serializer_class = s.PeriodSerializer
    queryset = ReviewPeriod.objects.order_by("-starts_on", "pk")
    filterset_fields = ["is_open", "name"]
    write_scope = ApiToken.Scope.WRITE_PEOPLE
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _save(self, request, period=None):
        if not access.may_manage_periods(request.user):
            raise PermissionDenied("Only HR and administrators set up review periods.")

        def write():
            incoming = s.PeriodSerializer(period, data=request.data, partial=period is not None)
            incoming.is_valid(raise_exception=True)
            try:
                saved = services.period_save(values=incoming.validated_data, period=period)
            except services.PeopleRefused as refused:
                _refuse(refused.problems)
            return Response(s.PeriodSerializer(saved).data,
                            status=status.HTTP_200_OK if period else status.HTTP_201_CREATED)
        return idempotent(request, write)

    @extend_schema(request=s.PeriodSerializer, responses={201: s.PeriodSerializer, **ERRORS},
                   parameters=[OpenApiParameter("Idempotency-Key", str, "header")])
    def create(self, request):
        return self._save(request)

    @extend_schema(request=s.PeriodSerializer(partial=True),
                   responses={200: s.PeriodSerializer, **ERRORS},
                   parameters=[OpenApiParameter("Idempotency-Key", str, "header")])
    def partial_update(self, request, pk=None):
        return self._save(request, self.get_object())


# Sheets ----------------------------------------------------------------------------------------

class SheetFilter(filters.FilterSet):
    period = filters.NumberFilter(field_name="period_id")
    period_name = filters.CharFilter(field_name="period__name")
    employee_number = filters.CharFilter(field_name="employee__employee_number")
    state = filters.ChoiceFilter(choices=SheetState.choices)

    class Meta:
        model = GoalSheet
        fields = ["period", "period_name", "employee_number", "state"]


@extend_schema(responses={200: s.SheetSerializer, **ERRORS})
class SheetViewSet(viewsets.ReadOnlyModelViewSet):
    """Goal sheets the caller may see, as on the pages; the detail carries goals, every round of
    answers, signatures (voided ones too) and the events. Workflow actions stay in the browser.
    The list holds one sheet a person and period, as the sheet list does: the newest version of
    an amended sheet, whose `amends` names the one before (each readable by its id)."""

    filterset_class = SheetFilter

    def get_queryset(self):
        sheets = (access.sheets_visible_to(self.request.user)
                  .select_related("employee", "period").order_by("period_id", "employee_id", "pk"))
        if self.action == "list":
            sheets = sheets.newest_versions()
        if self.action == "retrieve":
            sheets = sheets.prefetch_related(
                Prefetch("goals__answers", queryset=GoalAnswer.objects.order_by("round")),
                "goals__competency", "signatures", "events__actor")
        return sheets

    def get_serializer_class(self):
        return s.SheetDetailSerializer if self.action == "retrieve" else s.SheetSerializer

    @extend_schema(responses={200: s.SheetDetailSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        sheet = self.get_object()
        archive = archive_of(sheet)
        context = {**self.get_serializer_context(), "pdf_stored": bool(archive and
                                                                       archive.is_stored)}
        return Response(s.SheetDetailSerializer(sheet, context=context).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERRORS})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The archived PDF/A file exactly as stored when HR signed (404 until it is stored)."""
        sheet = self.get_object()
        archive = archive_of(sheet)
        if archive is None or not archive.is_stored:
            return problem(404, "The signed PDF of this sheet is not archived yet."
                           if sheet.is_signed else "Only a signed sheet has an archived PDF.")
        name = slugify(f"{sheet.employee_name} {sheet.period.name}") or "goal-sheet"
        response = FileResponse(default_storage.open(archive.file.name, "rb"),
                                as_attachment=True, filename=f"{name}.pdf",
                                content_type="application/pdf")
        response["ETag"] = f'"{archive.sha256}"'
        return response

    @extend_schema(responses={200: s.ProgressEntrySerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """Every actual recorded against the sheet's goals, oldest first."""
        sheet = self.get_object()
        entries = ProgressEntry.objects.filter(goal__sheet=sheet).order_by("goal_id", "as_of")
        return Response(s.ProgressEntrySerializer(entries, many=True).data)


# Progress and dashboards ------------------------------------------------------------------------

class ActualsView(APIView):
    """Actuals in bulk, by the CSV import's rules: whose actuals the caller may load
    (`progress_import_scope`), signed goals only, dates inside the period and up to today. All
    rows or none: a refused row answers 422 naming it (`rows/<index>`)."""

    write_scope = ApiToken.Scope.WRITE_ACTUALS

    @extend_schema(request=s.ActualsSerializer,
                   responses={200: s.ActualsResultSerializer, **ERRORS},
                   parameters=[OpenApiParameter("Idempotency-Key", str, "header")])
    def post(self, request):
        if not access.may_import_progress(request.user):
            raise PermissionDenied("Only supervisors, HR and administrators load actuals.")

        def write():
            rows = s.actual_rows(request.data)
            try:
                counts = services.progress_rows_record(actor=request.user, rows=rows)
            except services.ProgressRefused as refused:
                _refuse(refused.problems)
            return Response({"new": counts["new"], "update": counts["update"],
                             "already_recorded": counts["already recorded"]})
        return idempotent(request, write)


class DashboardView(APIView):
    """Attainment per territory, title or tier for a period, over the caller's dashboard scope
    (HR and admins: everyone; supervisors: their line)."""

    @extend_schema(parameters=[
        OpenApiParameter("period", int, description="A period id; default the current one."),
        OpenApiParameter("group_by", str, enum=list(dashboards.GROUPINGS), default="territory"),
    ], responses={200: s.DashboardRowSerializer(many=True), **ERRORS})
    def get(self, request):
        if not access.may_see_department(request.user):
            raise PermissionDenied("Department figures are for supervisors, HR and "
                                   "administrators.")
        group_by = request.query_params.get("group_by", "territory")
        if group_by not in dashboards.GROUPINGS:
            choices = ", ".join(dashboards.GROUPINGS)
            raise ValidationError({"group_by": [f"Choose one of {choices}."]})
        today = timezone.localdate()
        wanted = request.query_params.get("period")
        if wanted is not None:
            if not wanted.isdigit():
                raise ValidationError({"period": ["A period id is a whole number."]})
            period = get_object_or_404(ReviewPeriod, pk=int(wanted))
        else:
            period = dashboards.chosen_period(dashboards.periods(), None, today)
            if period is None:
                return Response([])
        rows = dashboards.department_rows(period, access.dashboard_scope(request.user),
                                          group_by=group_by, filters={}, today=today)
        return Response(s.DashboardRowSerializer(rows, many=True).data)
