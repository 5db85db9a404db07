"""The production settings with Django's manifest storage in place of WhiteNoise's compressed
one: the same file names and manifest (staticfiles.json) in a fraction of the time, since nothing
is gzipped or brotli-compressed. Used by tests/ops/test_stack.py for `collectstatic` only; the
server it then starts uses raa.settings itself (WhiteNoise serves files uncompressed when no
compressed copy is there)."""

from raa.settings import *  # noqa: F403
from raa.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
