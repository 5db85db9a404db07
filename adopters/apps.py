from django.apps import AppConfig


class AdoptersConfig(AppConfig):
    name = "adopters"
    verbose_name = "Prospective adopters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # For the glossary (the base layer may not import them: the app hands them down).
        from adopters.models import AdopterLegalStatus
        from raa.glossary import register_codes

        register_codes(
            "adopter_legal_status",
            "Adopters' legal status (903 AD1, LS_ADOPTR)",
            "Adopters' legal status",
            AdopterLegalStatus.choices,
        )
