"""The columns of a targets spreadsheet: what the targets grid's export writes and the target
import reads back (headers in English or Japanese, any order)."""

from __future__ import annotations

# key -> (header written by the export, accepted headers)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "distributor_id": ("Distributor id", ("distributor id", "id", "代理店id", "販売代理店id")),
    "distributor": ("Distributor name", ("distributor name", "distributor", "name",
                                         "販売代理店名", "代理店名", "販売代理店", "代理店")),
    "kpi": ("KPI code", ("kpi code", "kpi", "code", "kpiコード")),
    "period_kind": ("Period kind", ("period kind", "period", "期間", "期間種別")),
    "period_start": ("Period start", ("period start", "from", "start", "開始日", "期間開始")),
    "base": ("Base", ("base", "ベース", "基本目標")),
    "stretch": ("Stretch", ("stretch", "ストレッチ", "ストレッチ目標")),
    "exceed": ("Exceed", ("exceed", "エクシード", "超過目標")),
}  # fmt: skip
