"""Importing a council's history from its SSDA903 CSV files (DOMAIN.md Part A.9).

``reading`` turns the files into typed rows and names every problem; ``derive`` builds each
child's periods of care and journey; ``validate`` checks the DfE 903 rules that land as
data-quality flags; ``importer`` writes what changed; ``benchmark`` makes a large synthetic set.
"""
