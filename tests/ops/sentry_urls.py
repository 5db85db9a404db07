"""A page that fails, for tests/ops/test_sentry.py: its local variable and its error's text hold
the child's name the form posted, as a real failure's might (a database error's DETAIL quotes the
row)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def fails(request):
    child_name = request.POST["first_name"]
    raise ValueError(f"Key (first_name)=({child_name}) already exists.")


urlpatterns = [path("fails/", fails)]
