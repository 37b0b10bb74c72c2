"""Every write of the AR ledger's loads: an uploaded file started, mapped, previewed and
applied; an API batch applied. Each goes through `loading` (the one way rows reach the ledger)."""

from django.db import transaction

from .columns import COLUMNS
from .loading import LoadRefused, LoadResult, ledger_apply, ledger_preview
from .models import LedgerLoad, SourceSystem
from .reading import CsvFile, CsvProblem


class MappingProblem(Exception):
    """The mapping leaves a required column out or names a column twice: {field: sentence}."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def file_load_start(*, actor, source_system: SourceSystem, kind: str, upload) -> LedgerLoad:
    """A load waiting for its mapping: the file is read far enough to know its header (raises
    CsvProblem when it cannot be) and kept in storage."""
    CsvFile(upload.file if hasattr(upload, "file") else upload)
    upload.seek(0)
    return LedgerLoad.objects.create(kind=kind, channel=LedgerLoad.Channel.FILE,
                                     source_system=source_system, loaded_by=actor,
                                     file_name=upload.name[:255], file=upload)


def csv_of(load: LedgerLoad) -> CsvFile:
    try:
        load.file.open("rb")
    except (OSError, ValueError) as error:  # gone from storage, or never stored
        raise CsvProblem("The uploaded file is no longer in storage: upload it again.") \
            from error
    return CsvFile(load.file.file)


def mapping_problems(kind: str, mapping: dict[str, str], header: list[str]) -> dict[str, str]:
    problems, used = {}, {}
    for column in COLUMNS[kind]:
        chosen = mapping.get(column.name, "")
        if chosen and chosen not in header:
            problems[column.name] = f"The file has no column “{chosen[:60]}”."
        elif not chosen and column.required:
            problems[column.name] = f"Choose the file's column that holds the {column.label}."
        elif chosen in used:
            problems[column.name] = f"“{chosen}” is mapped to {used[chosen]} already."
        if chosen:
            used.setdefault(chosen, column.label)
    return problems


def file_load_map(load: LedgerLoad, mapping: dict[str, str], *, header: list[str]) -> None:
    """Keeps the mapping on the load and saves it as its source system's mapping for this kind
    of file, so the next export of that system is mapped already."""
    mapping = {name: column for name, column in mapping.items() if column}
    if problems := mapping_problems(load.kind, mapping, header):
        raise MappingProblem(problems)
    with transaction.atomic():
        load.column_mapping = mapping
        load.save(update_fields=["column_mapping"])
        if load.source_system_id:
            system = SourceSystem.objects.select_for_update().get(pk=load.source_system_id)
            system.column_mappings = {**system.column_mappings, load.kind: mapping}
            system.save(update_fields=["column_mappings"])


def file_load_preview(load: LedgerLoad) -> LoadResult:
    return _with_file(load, ledger_preview)


def file_load_apply(load: LedgerLoad) -> LoadResult:
    """Applies the mapped file, all rows or none (LoadRefused carries the preview)."""
    return _with_file(load, ledger_apply)


def _with_file(load, run) -> LoadResult:
    try:
        csv_file = csv_of(load)
        return run(load, csv_file.records(load.kind, load.column_mapping))
    except CsvProblem as problem:
        return LoadResult(file_problem=str(problem))
    finally:
        load.file.close()


def api_batch_load(*, actor, kind: str, batch_id: str, rows: list[dict]) -> LedgerLoad:
    """An API batch (rows in our field names) applied as a load of its own, all or nothing:
    a refused batch leaves no load behind (LoadRefused, with every row's errors)."""
    names = [column.name for column in COLUMNS[kind]]
    records = ((index, [_cell(row.get(name)) for name in names])
               for index, row in enumerate(rows))
    with transaction.atomic():
        load = LedgerLoad.objects.create(kind=kind, channel=LedgerLoad.Channel.API,
                                         batch_id=batch_id, loaded_by=actor)
        ledger_apply(load, records, row_word="row")
    return load


def _cell(value) -> str:
    """A JSON value as the cell an export would hold: numbers as written, null as empty."""
    if value is None:
        return ""
    return str(value).strip()


__all__ = ["CsvProblem", "LoadRefused", "MappingProblem", "api_batch_load", "csv_of",
           "file_load_apply", "file_load_map", "file_load_preview", "file_load_start",
           "mapping_problems"]
