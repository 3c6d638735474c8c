from django.apps import AppConfig


class CreditConfig(AppConfig):
    """第二章 信用信息记录归集: employers and their credit records."""

    name = "laborcredit.credit"
    verbose_name = "信用信息"

    def ready(self) -> None:
        from laborcredit.audit.chain import register_hashed_model
        from laborcredit.credit.models import CreditRecord

        # DT3: `audit verify` recomputes every record version's hash against its audit entry.
        register_hashed_model(
            "credit_record",
            CreditRecord.objects.select_related("employer"),
            CreditRecord.compute_content_hash,
        )
