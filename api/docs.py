"""``/api/v1/docs/``: Swagger UI (from npm, served as our static files) reading the schema."""

from django.shortcuts import render


def docs_page(request):
    return render(request, "api/docs.html")
