from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = "Children"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The 903 codes and the data-quality rules this app shows, for the glossary (the base
        # layer may not import them: the app hands them down).
        from children import date_rules, models
        from children.ssda903 import explanations
        from raa.glossary import register_codes

        register_codes(
            "legal_status", "903 legal status (LS)", "903 legal status", models.LegalStatus.choices
        )
        register_codes(
            "left_care",
            "903 reason a period of care ended (REC)",
            "903 reason care ended",
            models.LeftCareReason.choices,
        )
        register_codes(
            "ceased",
            "Why the adoption decision ceased (RD)",
            "Reason the adoption decision ceased",
            models.CeasedReason.choices,
        )
        register_codes(
            "ethnicity", "903 ethnicity codes", "DfE ethnicity code", models.Ethnicity.choices
        )
        register_codes(
            "placement_provider",
            "903 placement provider",
            "903 placement provider",
            models.PlacementProvider.choices,
        )
        register_codes(
            "disruption",
            "903 reason for a change of placement",
            "903 reason for placement change",
            models.DisruptionReason.choices,
            in_prose=False,  # CHILD and OTHER are also plain words; shown by their label only
        )
        tables = (
            date_rules.PERIOD_RULES,
            date_rules.EVENT_RULES,
            date_rules.ORDER_RULES,
            date_rules.LEFT_CARE_RULES,
        )
        rules = {r.code for table in tables for r in table}
        rules |= set(explanations.EXPLANATIONS)
        register_codes(
            "rule",
            "Data-quality rules",
            "Data-quality rule",
            [(rule, explanations.explain(rule)[0]) for rule in sorted(rules)],
            in_prose=False,
        )
