"""Issue 20, in the browser: the tracking list fits a 1400px (and a 1280px) screen with every
column, the forecast's included, for a manager over the whole region: no sideways scroll."""

from django.utils import timezone
from playwright.sync_api import expect

from forecast.models import ForecastModel, ForecastResult, Method
from raa.models import Role
from tests.test_browser import sign_in
from tests.test_browser_issue20 import browser, page_world  # noqa: F401 (the fixtures)
from tests.tracking.journeys import ago, make_child


def test_the_tracking_list_fits_the_screen_without_a_sideways_scroll(page_world):  # noqa: F811
    page, world, base = page_world
    worker = world.user(Role.SOCIAL_WORKER, "C")
    model = ForecastModel.objects.create(
        region=world.region,
        fitted_at=timezone.now(),
        as_at=ago(0),
        method=Method.COX,
        n_journeys=400,
        n_outcomes=300,
    )
    for n, council in enumerate(("A", "B", "C")):
        child = make_child(
            world.councils[council],
            worker,
            f"WIDE-{n}",
            entered=1200 + n,
            adm=900,
            order=800,
            worker=worker,
        )
        ForecastResult.objects.create(
            model=model,
            child=child,
            waiting_days=800,
            median_date=ago(-120),
            low_date=ago(-20),
            high_date=ago(-400) if n else None,
            p_breach_a2=1.0,
            p_breach_a1=0.95,
            likely_breach=True,
        )
    sign_in(page, base, world.user(Role.MANAGER, "region").username)
    for width in (1400, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + "/tracking/")
        expect(page.get_by_test_id("forecast-cell").first).to_be_visible()
        expect(page.get_by_role("columnheader", name="Council")).to_be_visible()
        scroll, client = page.locator(".table-responsive").first.evaluate(
            "e => [e.scrollWidth, e.clientWidth]"
        )
        assert scroll <= client, f"at {width}px the table is {scroll}px wide in {client}px"
        # the forecast's last column is on the screen, not cut off
        box = page.get_by_test_id("likely-breach").first.bounding_box()
        assert box["x"] + box["width"] <= width
