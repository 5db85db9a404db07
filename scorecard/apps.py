from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "scorecard"
    verbose_name = "Scorecard and reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # For the glossary (the base layer may not import them: the app hands them down).
        from raa.glossary import BY_TERM, register_codes
        from scorecard.measures import MEASURES

        register_codes(
            "measure",
            "Adoption Scorecard and ASGLB measures",
            "Measure",
            [
                (code, m.label)
                for code, m in MEASURES.items()
                if code[:1] == "A" and code[1:].isdigit() and code not in BY_TERM
            ],
        )
