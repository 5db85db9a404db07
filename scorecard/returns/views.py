"""The returns page and its downloads: for data officers and managers (EXPORT_ROLES), for the
councils they hold that role over."""

from django.http import HttpResponse
from django.shortcuts import render

from raa import access
from scorecard.returns import services
from scorecard.returns.forms import AnnexAForm, AsglbForm


def _page(request, annex_form=None, asglb_form=None, status=200):
    return render(
        request,
        "scorecard/returns.html",
        {
            "annex_form": annex_form or AnnexAForm(user=request.user, prefix="annex"),
            "asglb_form": asglb_form or AsglbForm(user=request.user, prefix="asglb"),
        },
        status=status,
    )


def _download(export: services.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def returns_page(request):
    access.require_role(request.user, access.EXPORT_ROLES)
    return _page(request)


def annex_a_download(request):
    access.require_role(request.user, access.EXPORT_ROLES)
    if not request.GET:
        return _page(request)
    form = AnnexAForm(request.GET, user=request.user, prefix="annex")
    if not form.is_valid():
        return _page(request, annex_form=form, status=400)
    return _download(
        services.export_annex_a(
            council=form.cleaned_data["council"],
            start=form.cleaned_data["date_from"],
            end=form.cleaned_data["date_to"],
            acting_user=request.user,
        )
    )


def asglb_download(request):
    access.require_role(request.user, access.EXPORT_ROLES)
    if not request.GET:
        return _page(request)
    form = AsglbForm(request.GET, user=request.user, prefix="asglb")
    if not form.is_valid():
        return _page(request, asglb_form=form, status=400)
    return _download(
        services.export_asglb(
            council=form.cleaned_data["council"],
            year=form.cleaned_data["year"],
            quarter=form.cleaned_data["quarter"],
            level=form.cleaned_data["level"],
            acting_user=request.user,
        )
    )
