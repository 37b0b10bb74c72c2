"""The API's shapes: what each resource reads as, and what a write may carry."""

from rest_framework import serializers

from goalsapp.models import Employee, Goal, GoalSheet, ProgressEntry, ReviewPeriod
from reviews.models import GoalAnswer, ReviewEvent, Signature

from .models import ApiToken


class EmployeeSerializer(serializers.ModelSerializer):
    email = serializers.SerializerMethodField()
    supervisor_number = serializers.CharField(source="supervisor.employee_number", default=None,
                                              read_only=True, allow_null=True)

    class Meta:
        model = Employee
        fields = ["id", "employee_number", "full_name", "email", "title", "territory",
                  "work_location", "performance_tier", "supervisor_id", "supervisor_number",
                  "is_active"]
        read_only_fields = fields

    def get_email(self, employee) -> str | None:
        """The login's e-mail address; null when the HRIS gave none."""
        return employee.user.email or None


class EmployeeWriteSerializer(serializers.Serializer):
    """A person as the HRIS knows them; the supervisor by employee number."""

    employee_number = serializers.CharField(max_length=20)
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    title = serializers.CharField(max_length=100)
    territory = serializers.CharField(max_length=100, required=False, allow_blank=True)
    work_location = serializers.CharField(max_length=150, required=False, allow_blank=True)
    performance_tier = serializers.ChoiceField(choices=Employee.Tier.choices, required=False)
    supervisor_number = serializers.CharField(max_length=20, required=False, allow_null=True,
                                              allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def validate_employee_number(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError("The employee number is empty.")
        return value

    def validate_supervisor_number(self, value):
        if not value:
            return None
        supervisor = Employee.objects.filter(employee_number=value.strip()).first()
        if supervisor is None:
            raise serializers.ValidationError(f"Unknown supervisor number “{value}”.")
        return supervisor


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewPeriod
        fields = ["id", "name", "starts_on", "ends_on", "goals_due", "answers_due",
                  "signatures_due", "hr_review_due", "self_assessments_due", "assessments_due",
                  "closing_signatures_due", "hr_closing_due", "currency", "is_open"]
        read_only_fields = ["id"]


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalAnswer
        fields = ["round", "answer", "comment", "answered_at", "reply", "replied_at"]


class GoalSerializer(serializers.ModelSerializer):
    competency = serializers.CharField(source="competency.name")
    answers = AnswerSerializer(many=True)

    class Meta:
        model = Goal
        fields = ["id", "position", "competency", "text", "measure_kind", "target", "unit",
                  "direction", "baseline", "due_on", "weight", "carried_from", "answers"]


class SignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = ["role", "typed_name", "signed_at", "content_hash", "voided_at", "void_reason"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username")

    class Meta:
        model = ReviewEvent
        fields = ["action", "from_state", "to_state", "actor", "at", "note"]


class SheetSerializer(serializers.ModelSerializer):
    employee_number = serializers.CharField(source="employee.employee_number")
    period = serializers.CharField(source="period.name")
    is_signed = serializers.BooleanField()

    class Meta:
        model = GoalSheet
        # `version` is the concurrency counter pages compare; `edition` is "Version N" of an
        # amended sheet, `amends` the id of the version it amends.
        fields = ["id", "employee_id", "employee_number", "employee_name", "period_id", "period",
                  "state", "is_signed", "version", "edition", "amends", "title", "updated_at"]


class SheetDetailSerializer(SheetSerializer):
    goals = GoalSerializer(many=True)
    signatures = SignatureSerializer(many=True)
    events = EventSerializer(many=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta(SheetSerializer.Meta):
        fields = [*SheetSerializer.Meta.fields, "work_location", "supervisor_name",
                  "goals_completed_since_last", "estimated_total_time", "action_plans",
                  "milestones", "additional_comments", "locked_at", "amendment_reason",
                  "amendment_started_at", "goals", "signatures", "events", "pdf_url"]

    def get_pdf_url(self, sheet) -> str | None:
        """Where the archived PDF downloads from, once it is stored."""
        if not self.context.get("pdf_stored"):
            return None
        return self.context["request"].build_absolute_uri(f"/api/sheets/{sheet.pk}/pdf/")


class ProgressEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressEntry
        fields = ["goal_id", "as_of", "actual", "attained", "note", "source", "updated_at"]


class ActualRowSerializer(serializers.Serializer):
    """One actual, in the CSV import's columns."""

    employee_number = serializers.CharField(max_length=20)
    period = serializers.CharField(max_length=100)
    goal = serializers.CharField(max_length=10, help_text="The goal's number on the sheet, 1…n.")
    as_of = serializers.CharField(max_length=10, help_text="YYYY-MM-DD")
    actual = serializers.CharField(max_length=40)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ActualsSerializer(serializers.Serializer):
    """The bulk actuals' body, for the schema; `actual_rows` checks it."""

    rows = ActualRowSerializer(many=True, allow_empty=False, max_length=20_000)


def actual_rows(data) -> list[dict[str, str]]:
    """ActualsSerializer's checks as a plain loop, with the same messages and field paths
    (rows/3/actual): 10,000 nested serializers took about a second of the 2 s budget. The
    limits are read from the serializers' own fields, so the schema and the check agree."""
    rows_field = ActualsSerializer().fields["rows"]
    fields = ActualRowSerializer().fields
    messages = fields["employee_number"].error_messages  # a CharField's, Field's included
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": [
            f"Invalid data. Expected a dictionary, but got {type(data).__name__}."]})
    rows = data.get("rows")
    if rows is None:
        raise serializers.ValidationError({"rows": [
            messages["required"] if "rows" not in data else messages["null"]]})
    if not isinstance(rows, list):
        raise serializers.ValidationError({"rows": {"non_field_errors": [
            f'Expected a list of items but got type "{type(rows).__name__}".']}})
    if not rows:
        raise serializers.ValidationError({"rows": {"non_field_errors": [
            "This list may not be empty."]}})
    if len(rows) > rows_field.max_length:
        raise serializers.ValidationError({"rows": {"non_field_errors": [
            f"Ensure this field has no more than {rows_field.max_length} elements."]}})
    cleaned, problems = [], {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            problems[str(index)] = {"non_field_errors": [
                f"Invalid data. Expected a dictionary, but got {type(row).__name__}."]}
            continue
        values, wrong = {}, {}
        for name, field in fields.items():
            value = row.get(name)
            if value is None:
                if name in row:
                    wrong[name] = [messages["null"]]
                elif field.required:
                    wrong[name] = [messages["required"]]
                continue
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                wrong[name] = [messages["invalid"]]
                continue
            value = str(value).strip()
            if not value and not field.allow_blank:
                wrong[name] = [messages["blank"]]
            elif len(value) > field.max_length:
                wrong[name] = [messages["max_length"].format(max_length=field.max_length)]
            elif not value.isprintable():
                # NUL, surrogates, control characters: the field's own validators decide.
                try:
                    values[name] = field.run_validation(value)
                except serializers.ValidationError as error:
                    wrong[name] = error.detail
            else:
                values[name] = value
        if wrong:
            problems[str(index)] = wrong
        cleaned.append(values)
    if problems:
        raise serializers.ValidationError({"rows": problems})
    return cleaned


class ActualsResultSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    update = serializers.IntegerField()
    already_recorded = serializers.IntegerField()


class DashboardRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    people = serializers.IntegerField()
    goals = serializers.IntegerField()
    with_data = serializers.IntegerField()
    attained = serializers.DecimalField(max_digits=30, decimal_places=8, allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())


class ProblemErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The wrong field: a name, or a path like rows/3.")
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemErrorSerializer(many=True, required=False)


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["name", "prefix", "scopes", "last_used_at"]
