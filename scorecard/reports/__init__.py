"""Quarterly board reports: drafts, published versions frozen with their figures and files,
suppression of small numbers, and the HTML, PDF and Excel renderings."""
