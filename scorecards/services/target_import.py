"""Importing targets from a CSV or XLSX file, all or nothing.

Columns (headers in English or Japanese, any order; other columns are ignored, so the grid's
export reads back in): distributor id or distributor name, KPI code, period kind (month or
quarter), period start (YYYY-MM-DD), base, stretch, exceed. Every row is checked first; one
wrong cell means nothing is written and the person sees each wrong row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners import roles
from partners.models import Distributor, Membership, Vendor
from partners.platform.uploads import sniff
from partners.services.imports.files import decode_text, max_import_bytes, xlsx_cell_text
from scorecards.models import Kpi, TargetSource
from scorecards.services.targets import (
    MAX_BULK_TARGETS,
    RowsInvalid,
    TargetRow,
    target_rows_check,
    targets_upsert,
)
from scorecards.target_layout import COLUMNS

COLUMN_LABELS = {
    "distributor_id": gettext_lazy("Distributor id"),
    "distributor": gettext_lazy("Distributor"),
    "kpi": gettext_lazy("KPI code"),
    "period_kind": gettext_lazy("Period kind"),
    "period_start": gettext_lazy("Period start"),
    "base": gettext_lazy("Base"),
    "stretch": gettext_lazy("Stretch"),
    "exceed": gettext_lazy("Exceed"),
}
PERIOD_WORDS = {"month": "month", "quarter": "quarter", "月": "month", "月次": "month",
                "四半期": "quarter", "q": "quarter", "m": "month"}  # fmt: skip


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower().replace("_", " ")


HEADER_LOOKUP = {
    _norm(alias): key for key, (header, aliases) in COLUMNS.items() for alias in (header, *aliases)
}


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def read_target_file(file) -> list[tuple[int, dict[str, str]]]:
    """The rows of an uploaded CSV (UTF-8, UTF-16 or CP932) or XLSX file as (line number,
    {column key: text}); a ValidationError on ``file`` when it cannot be read."""
    if file is None:
        raise _file_error(_("Choose a file to upload."))
    raw = file.read(max_import_bytes() + 1)
    if not raw:
        raise _file_error(_("The file is empty."))
    if len(raw) > max_import_bytes():
        raise _file_error(_("The file is too large."))
    file.seek(0)
    kind = sniff(file)
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            records = [
                (n, [xlsx_cell_text(c) for c in cells])
                for n, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), 1)
            ]
            book.close()
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise _file_error(
                _("The workbook could not be opened. Save it again in Excel as .xlsx.")
            ) from exc
    elif kind is not None:
        raise _file_error(_("This file is neither a CSV file nor an Excel workbook (.xlsx)."))
    else:
        text, _encoding = decode_text(raw)
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
        try:
            records = list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1))
        except csv.Error as exc:
            raise _file_error(_("The CSV file could not be read.")) from exc
    mapping: dict[int, str] | None = None
    rows = []
    for number, cells in records:
        cells = [str(c or "").strip() for c in cells]
        if not any(cells):
            continue
        if mapping is None:
            mapping = {}
            for index, cell in enumerate(cells):
                key = HEADER_LOOKUP.get(_norm(cell))
                if key and key not in mapping.values():
                    mapping[index] = key
            needed = {"kpi", "period_kind", "period_start", "base", "stretch", "exceed"}
            missing = needed - set(mapping.values())
            if missing or not {"distributor", "distributor_id"} & set(mapping.values()):
                names = [COLUMNS[k][0] for k in COLUMNS if k in missing]
                raise _file_error(
                    _("The first row must name the columns. Missing: %(columns)s.")
                    % {"columns": ", ".join(names) or COLUMNS["distributor"][0]}
                )
            continue
        rows.append(
            (number, {key: cells[i] if i < len(cells) else "" for i, key in mapping.items()})
        )
    if not rows:
        raise _file_error(_("The file has no rows."))
    if len(rows) > MAX_BULK_TARGETS:
        raise _file_error(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_BULK_TARGETS}
        )
    return rows


def _parse_date(text: str) -> dt.date | None:
    text = text.strip().replace("/", "-")
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def target_rows_resolve(
    *, vendor: Vendor, records: Sequence[tuple[object, dict]]
) -> tuple[list, list[TargetRow], dict]:
    """Turn raw records (key, {column: text}) into TargetRows: distributors by id or by name
    (case and spaces ignored), KPIs by code, periods parsed. Returns (keys, rows, errors by
    key and column)."""
    distributors = list(Distributor.objects.filter(vendor=vendor).only("pk", "name", "country"))
    by_id = {d.pk: d for d in distributors}
    by_name: dict[str, list[Distributor]] = {}
    for d in distributors:
        by_name.setdefault(_norm(d.name), []).append(d)
    kpis = {k.code.lower(): k for k in Kpi.objects.filter(vendor=vendor)}
    keys, rows, errors = [], [], {}
    for key, values in records:
        row_errors: dict[str, list[str]] = {}
        distributor = None
        raw_id = str(values.get("distributor_id") or "").strip()
        raw_name = str(values.get("distributor") or "").strip()
        if raw_id:
            distributor = by_id.get(int(raw_id)) if raw_id.isdigit() else None
            if distributor is None:
                row_errors["distributor_id"] = [_("No distributor of yours has this id.")]
        elif raw_name:
            found = by_name.get(_norm(raw_name), [])
            if len(found) == 1:
                distributor = found[0]
            elif found:
                row_errors["distributor"] = [_("Several distributors have this name; use the id.")]
            else:
                row_errors["distributor"] = [_("No distributor of yours has this name.")]
        else:
            row_errors["distributor"] = [_("Name the distributor (or give its id).")]
        kpi = kpis.get(str(values.get("kpi") or "").strip().lower())
        if kpi is None:
            row_errors["kpi"] = [_("No KPI of yours has this code.")]
        kind = PERIOD_WORDS.get(_norm(values.get("period_kind") or ""))
        if kind is None:
            row_errors["period_kind"] = [_("Write month or quarter.")]
        start = _parse_date(str(values.get("period_start") or ""))
        if start is None:
            row_errors["period_start"] = [_("Write the period's first day as YYYY-MM-DD.")]
        if row_errors or distributor is None or kpi is None or kind is None or start is None:
            errors[key] = row_errors  # each missing part has its error
            continue
        keys.append(key)
        rows.append(TargetRow(distributor, kpi, kind, start, values.get("base"),
                              values.get("stretch"), values.get("exceed")))  # fmt: skip
    return keys, rows, errors


def targets_import(*, vendor: Vendor, actor: Membership, file) -> dict[str, int]:
    """Import targets from a file, all or nothing. A ``RowsInvalid`` maps each wrong line
    number to ``{column key: [message]}`` (keys of ``COLUMNS``); a ValidationError on
    ``file`` says the file itself cannot be read."""
    if not roles.is_editor(actor):
        raise PermissionDenied
    records = read_target_file(file)
    keys, rows, errors = target_rows_resolve(vendor=vendor, records=records)
    _cleaned, more = target_rows_check(
        rows=rows, keys=keys, fiscal_start_month=vendor.fiscal_year_start_month
    )
    errors.update(more)
    if errors:
        raise RowsInvalid(dict(sorted(errors.items())))
    return targets_upsert(
        vendor=vendor, actor=actor, rows=rows, keys=keys, source=TargetSource.IMPORTED
    )
