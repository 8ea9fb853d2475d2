"""Demo data for bulk onboarding: one spreadsheet already imported (new distributors with
Japanese names and their contacts, read from a Shift_JIS file as Japanese Excel saves it) and
one upload waiting in preview with a row error, so the import page looks lived-in."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from partners.services.imports import import_batch_confirm, import_batch_create

IMPORTED = (
    "販売代理店名,正式名称,国,担当者名,役割,役職,メールアドレス,電話番号\r\n"
    "北斗ロボティクス,北斗ロボティクス株式会社,JP,高橋 健,owner,代表取締役,"
    "takahashi@hokuto.example,03-5555-0101\r\n"
    "北斗ロボティクス,,,中村 由美,sales lead,営業部長,nakamura@hokuto.example,03-5555-0102\r\n"
    "北斗ロボティクス,,,小林 翔,sales rep,,kobayashi@hokuto.example,\r\n"
    "Andaman Automation,Andaman Automation Co. Ltd.,TH,Krit S.,owner,Managing director,"
    "krit@andaman.example,+66 2 555 0199\r\n"
)
PENDING = (
    "Distributor name,Country,Contact name,Contact role,Contact e-mail\r\n"
    "Saigon Motion,VN,Le Minh,owner,le.minh@saigon.example\r\n"
    "Saigon Motion,,Pham Thu,sales rep,pham.thu(at)saigon.example\r\n"
)


def seed(*, vendor, actor, distributors) -> None:
    """Import one file (confirmed) and leave another in preview. Runs inside the tenant
    scope; distributors whose names are taken are updated rather than duplicated."""
    batch = import_batch_create(
        vendor=vendor,
        actor=actor,
        file=SimpleUploadedFile("代理店リスト.csv", IMPORTED.encode("cp932"), "text/csv"),
    )
    if batch.error_count == 0:
        import_batch_confirm(vendor=vendor, actor=actor, batch=batch)
    import_batch_create(
        vendor=vendor,
        actor=actor,
        file=SimpleUploadedFile("vietnam-partners.csv", PENDING.encode("utf-8"), "text/csv"),
    )
