"""The AR ledger through the API: one endpoint per kind of row (`/api/ar/<kind>/`), taking a
batch of rows in the ledger's own field names, checked and applied by the same code as the
"AR data" page's files (goalsapp.ar.loading), all rows or none."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from goalsapp import access
from goalsapp.ar.columns import COLUMNS, NUMBER_LENGTH
from goalsapp.ar.models import LedgerLoad
from goalsapp.ar.services import LoadRefused, api_batch_load

from .idempotency import idempotent
from .models import ApiToken
from .views import ERRORS

MAX_ROWS = 50_000
LONGEST_CELL = 200


def _row_serializer(kind: str, label: str) -> type[serializers.Serializer]:
    fields = {column.name: serializers.CharField(
        max_length=LONGEST_CELL if column.name != "number" else NUMBER_LENGTH,
        required=column.required, allow_blank=not column.required, help_text=column.label)
        for column in COLUMNS[kind]}
    name = "".join(part.capitalize() for part in kind.split("_"))
    return type(f"Ar{name}RowSerializer", (serializers.Serializer,),
                {**fields, "__doc__": f"One row of {label.lower()}, in the ledger's fields."})


def _batch_serializer(kind: str, label: str) -> type[serializers.Serializer]:
    name = "".join(part.capitalize() for part in kind.split("_"))
    return type(f"Ar{name}BatchSerializer", (serializers.Serializer,), {
        "__doc__": f"A batch of {label.lower()}: applied whole or not at all.",
        "batch_id": serializers.CharField(max_length=100, required=False, allow_blank=True,
                                          help_text="Your id for this batch, kept on the load."),
        "rows": _row_serializer(kind, label)(many=True, allow_empty=False, max_length=MAX_ROWS),
    })


BATCH_SERIALIZERS = {kind: _batch_serializer(kind, label)
                     for kind, label in LedgerLoad.Kind.choices}


class ArLoadResultSerializer(serializers.Serializer):
    load = serializers.IntegerField(help_text="The load's id (the AR data page shows it).")
    batch_id = serializers.CharField()
    rows = serializers.IntegerField()
    new = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()


def batch_of(data) -> tuple[str, list[dict]]:
    """The body's batch id and rows, its shape checked (the values are the ledger's to judge):
    a plain loop, as `serializers.actual_rows`, since 50,000 nested serializers are slow."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["Expected a JSON object with rows."]})
    batch_id = data.get("batch_id") or ""
    if not isinstance(batch_id, str) or len(batch_id) > 100:
        raise ValidationError({"batch_id": ["A text of at most 100 characters."]})
    rows = data.get("rows")
    if not isinstance(rows, list) or not rows:
        raise ValidationError({"rows": ["A non-empty list of rows."]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"rows": [f"At most {MAX_ROWS:,} rows a batch."]})
    problems = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            problems[str(index)] = ["Each row is a JSON object."]
            continue
        wrong = {name: ["Not a valid string."] for name, value in row.items()
                 if value is not None and (isinstance(value, bool)
                                           or not isinstance(value, str | int | float))}
        if wrong:
            problems[str(index)] = wrong
    if problems:
        raise ValidationError({"rows": problems})
    return batch_id.strip(), rows


def _kind_view(kind: str, label: str):
    class ArRowsView(APIView):
        write_scope = ApiToken.Scope.WRITE_AR

        @extend_schema(
            operation_id=f"ar_{kind}_load", summary=f"Load {label.lower()}",
            description=(f"{label} into the AR ledger, by id (`number`): new rows are added, "
                         "changed ones updated, the same rows again change nothing. All rows "
                         "or none: a wrong row answers 422 naming it (`rows/<index>/<field>`). "
                         "HR and administrators; scope `write_ar`."),
            request=BATCH_SERIALIZERS[kind],
            responses={200: ArLoadResultSerializer, **ERRORS},
            parameters=[OpenApiParameter("Idempotency-Key", str, "header")])
        def post(self, request):
            if not access.may_load_ar_data(request.user):
                raise PermissionDenied("Loading AR data is for HR and administrators.")

            def write():
                batch_id, rows = batch_of(request.data)
                try:
                    load = api_batch_load(actor=request.user, kind=kind, batch_id=batch_id,
                                          rows=rows)
                except LoadRefused as refused:
                    raise ValidationError(_row_problems(refused)) from None
                return Response({"load": load.pk, "batch_id": load.batch_id,
                                 "rows": load.rows_total, "new": load.rows_created,
                                 "changed": load.rows_updated,
                                 "unchanged": load.rows_unchanged})
            return idempotent(request, write)

    ArRowsView.__name__ = ArRowsView.__qualname__ = f"Ar{kind.capitalize()}View"
    ArRowsView.__doc__ = f"{label} into the AR ledger."
    return ArRowsView.as_view()


def _row_problems(refused: LoadRefused) -> dict:
    """The ledger's row errors as the problem details' paths: rows/<index>/<field>."""
    rows: dict[str, dict[str, list[str]]] = {}
    for error in refused.result.errors:
        rows.setdefault(str(error.line), {}).setdefault(
            error.field or "non_field_errors", []).append(error.message)
    return {"rows": rows} if rows else {"non_field_errors": [str(refused)]}


VIEWS = {kind: _kind_view(kind, label) for kind, label in LedgerLoad.Kind.choices}
