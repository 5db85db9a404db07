"""Reference data as shipped: the values the migrations seed and administrators may change.

Code reads the stored rows; these are the fall-back for a row that is missing.
"""

#: DOMAIN.md A.3 scorecard thresholds: (first year of the window, A1 days, A2 days, A3 months).
#: The last row applies to its window and every later one.
SCORECARD_THRESHOLDS = [
    (2009, 639, 213, 21),
    (2010, 608, 182, 20),
    (2011, 547, 182, 18),
    (2012, 487, 152, 16),
    (2013, 426, 121, 14),
]
#: A3's N where no threshold row is at hand (no stored figure to read it from): that of the
#: shipped table's last row, 14 months.
A3_MONTHS_FALLBACK = SCORECARD_THRESHOLDS[-1][3]

#: DOMAIN.md Part B §2.5 national figures: (measure, period, value, unit, note, source).
NATIONAL_FIGURES = [
    ("A1", "2009-12", 636, "days", "scorecard", "publicfinance.co.uk, 30 Nov 2012"),
    ("A2", "2009-12", 195, "days", "scorecard", "publicfinance.co.uk, 30 Nov 2012"),
    ("A1", "2012-13", 656, "days", "single year (ALB)", "familylawweek.co.uk; coram-i.org.uk"),
    ("A1", "2013-14", 594, "days", "single year (ALB)", "familylawweek.co.uk; coram-i.org.uk"),
    ("A1", "2014-15", 533, "days", "single year (ALB)", "familylawweek.co.uk; coram-i.org.uk"),
    ("A1", "2016-17", 457, "days", "single year (ALB)", "familylawweek.co.uk; coram-i.org.uk"),
    ("A2", "2013-14", 216, "days", "single year (ALB)", "familylawweek.co.uk; coram-i.org.uk"),
    ("A2", "2014-15", 234, "days", "single year (ALB)", "familylawweek.co.uk; coram-i.org.uk"),
    ("A2", "2016-17", 190, "days", "single year (ALB)", "familylawweek.co.uk; coram-i.org.uk"),
    ("A1", "2015-18", 486, "days", "scorecard", "fosterline.info"),
    ("A11", "31 Mar 2018", 1600, "families", "approved, waiting", "fosterline.info"),
    ("adoption_orders", "2014-15", 5330, "children", "adopted from care", "familylawweek.co.uk"),
    ("waiting_with_po", "31 Mar 2014", 4680, "children", "with PO, not placed", "familylawweek"),
    ("waiting_with_po", "31 Dec 2014", 2960, "children", "with PO, not placed", "familylawweek"),
    ("waiting_with_po", "31 Mar 2015", 2970, "children", "with PO, not placed", "familylawweek"),
    ("waiting_with_po", "30 Jun 2015", 2460, "children", "with PO, not placed", "stowefamilylaw"),
    ("placement_orders", "2018-19", 3700, "children", "new POs (ASGLB)", "coram-i.org.uk/asglb"),
    ("registrations", "2018-19", 4000, "households", "ASGLB", "coram-i.org.uk/asglb"),
    ("approvals", "2018-19", 2850, "households", "ASGLB", "coram-i.org.uk/asglb"),
    ("waiting_with_po", "31 Mar 2019", 2800, "children", "ASGLB", "coram-i.org.uk/asglb"),
    ("waiting", "31 Dec 2018", 4140, "children", "decision, not placed", "theguardian.com"),
    ("waiting_with_po", "31 Dec 2018", 2760, "children", "ASGLB", "theguardian.com"),
    ("A11", "31 Dec 2018", 1700, "families", "about; ASGLB", "theguardian.com"),
]
