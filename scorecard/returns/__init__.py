"""Statutory returns: Ofsted Annex A lists 10 and 11 (an Excel workbook) and the ASGLB
child-level and adopter-level quarterly returns (CSV), per council and period.

``selectors`` reads the rows; ``annex_a`` and ``asglb`` lay them out; ``services`` produces a
return and writes the audit row; ``views``/``urls`` are the page and the downloads.
"""
