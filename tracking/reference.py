"""The tracking thresholds as shipped: the values the migration seeds and administrators may
change. Code reads the stored rows; these are the fall-back for a row that is missing."""

#: DOMAIN.md A.8 tracking thresholds: (code, label, amount, unit).
TRACKING_THRESHOLDS = [
    ("child_care_to_placed", "Entering care to placed for adoption (A1 threshold)", 426, "days"),
    ("child_order_to_match", "Placement order to match (A2 threshold)", 121, "days"),
    ("child_decision_to_match", "ADM decision to match (national referral due)", 3, "months"),
    ("household_stage1", "Stage 1 (registration to end of Stage 1)", 2, "months"),
    ("household_stage2", "Stage 2 (start of Stage 2 to approval)", 4, "months"),
    ("household_approval_to_match", "Approved and waiting to be matched", 3, "months"),
    ("due_soon", "Warn before a threshold (due within)", 30, "days"),
]
