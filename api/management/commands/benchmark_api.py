"""Time the case-system API's batch: 1,000 journey-step operations for 100 children.

Everything is synthetic and thrown away: a region, a council and 100 children ("Child
BENCH0001"…) are made inside one transaction that is rolled back at the end, so nothing is
left behind (timings therefore include savepoints rather than commits: a real batch commits
once per child). The batch goes through the real view, with every date rule checked.
"""

import json
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from api.services import api_client_add
from raa.models import Council, Region


class Rollback(Exception):
    pass


#: Ten operations per child: eight steps of a whole journey to adoption, and two corrections
#: (the same reference again with another date). Days after the child entered care.
STEPS = [
    ("S1", "permanence_decision", 92, {}),
    ("S2", "adm_decision", 122, {}),
    ("S3", "placement_order", 228, {"authority": "placement_order"}),
    ("S4", "linked", 274, {}),
    ("S5", "matched", 305, {"panel_date": 298}),
    ("S6", "placed", 335, {"placement_provider": "PR1"}),
    ("S7", "adoption_application", 427, {}),
    ("S8", "adoption_order", 549, {}),
    ("S1", "permanence_decision", 91, {}),  # corrected: a day earlier
    ("S4", "linked", 273, {}),  # corrected
]


def _free_code() -> str:
    used = set(Council.objects.values_list("la_code", flat=True))
    code = next((f"{n:03d}" for n in range(999, 99, -1) if f"{n:03d}" not in used), None)
    if code is None:
        raise CommandError("No free LA code for the throwaway council.")
    return code


class Command(BaseCommand):
    help = (
        "Time a batch of 1,000 event operations for 100 synthetic children through the API "
        "(every date rule checked; all made in a transaction that is rolled back)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=100)
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, children: int, format: str, **options):
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        figures: dict = {}
        # As in production: DEBUG off (with it on, Django keeps every query's SQL in memory).
        with override_settings(ALLOWED_HOSTS=hosts, API_RATE_LIMIT="100000/min", DEBUG=False):
            try:
                with transaction.atomic():
                    figures = self._run(children)
                    raise Rollback
            except Rollback:
                pass
        if format == "json":
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(
            f"Set-up batch: {figures['setup_operations']} operations (children and periods) in "
            f"{figures['setup_seconds']} s."
        )
        self.stdout.write(
            f"Benchmark batch: {figures['operations']} event operations for "
            f"{figures['children']} children in {figures['batch_seconds']} s "
            f"({figures['ms_per_operation']} ms an operation), all applied, every date rule "
            "checked; one recompute queued for the council. Nothing was kept."
        )

    def _run(self, count: int) -> dict:
        region = Region.objects.create(name="API benchmark region (throwaway)")
        code = _free_code()
        Council.objects.create(region=region, la_code=code, name="API benchmark council")
        _, token = api_client_add(name="API benchmark client", region=region)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        url = f"/api/v1/councils/{code}/batch"
        entered = date(2019, 6, 3)
        setup, events = [], []
        for number in range(1, count + 1):
            child = f"BENCH{number:04d}"
            born = entered - timedelta(days=200 + number)
            setup.append(
                {
                    "method": "PUT",
                    "path": f"children/{child}",
                    "body": {"dob": born.isoformat(), "sex": "12"[number % 2], "ethnic": "NOBT"},
                }
            )
            setup.append(
                {
                    "method": "PUT",
                    "path": f"children/{child}/periods/P1",
                    "body": {"entered_care": entered.isoformat(), "legal_status": "C2"},
                }
            )
            for ref, kind, days, extra in STEPS:
                body = {"kind": kind, "date": (entered + timedelta(days=days)).isoformat()}
                for name, value in extra.items():
                    body[name] = (
                        (entered + timedelta(days=value)).isoformat()
                        if name == "panel_date"
                        else value
                    )
                events.append(
                    {"method": "PUT", "path": f"children/{child}/events/{ref}", "body": body}
                )
        setup_seconds = self._send(client, url, setup)
        batch_seconds = self._send(client, url, events)
        return {
            "children": count,
            "operations": len(events),
            "batch_seconds": round(batch_seconds, 2),
            "ms_per_operation": round(1000 * batch_seconds / len(events), 2),
            "setup_operations": len(setup),
            "setup_seconds": round(setup_seconds, 2),
        }

    def _send(self, client: Client, url: str, operations: list[dict]) -> float:
        started = time.perf_counter()
        response = client.post(
            url, json.dumps({"operations": operations}), content_type="application/json"
        )
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise CommandError(f"The batch answered {response.status_code}: {response.content!r}")
        refused = [r for r in response.json()["results"] if r["status"] >= 300]
        if refused:
            first = refused[0]
            raise CommandError(
                f"{len(refused)} operations refused; the first: {first['path']} "
                f"{first['status']} {first.get('problem', {}).get('detail')}"
            )
        return seconds
