"""The case-system API (``/api/v1/``): thin views over :mod:`api.operations`.

Every view authenticates a client by its bearer token (never a person's session), checks the
council is one the client may use (404 otherwise), and answers errors as problem+json.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import operations as ops
from api.authentication import BearerTokenAuthentication, IsApiClient
from api.problems import PROBLEM_JSON, Problem, from_django, problem_response
from api.serializers import (
    CHILD_PATTERN,
    REF_PATTERN,
    BatchIn,
    BatchOut,
    ChildIn,
    ChildOut,
    ChildRecordOut,
    EventIn,
    EventOut,
    PeriodIn,
    PeriodOut,
    ProblemOut,
)
from api.throttling import ClientRateThrottle
from children.models import Child
from children.services import one_refresh_per_child
from raa.freshness import one_recompute_per_council
from scorecard import periods as P
from scorecard.selectors import scorecard_json, scorecard_result

LA = OpenApiParameter(
    "la", str, OpenApiParameter.PATH, pattern=r"^[0-9]{3}$", description="DfE LA code."
)
CHILD = OpenApiParameter(
    "child", str, OpenApiParameter.PATH, pattern=CHILD_PATTERN, description="903 CHILD id."
)
REF = OpenApiParameter(
    "ref", str, OpenApiParameter.PATH, pattern=REF_PATTERN, description="The case system's ref."
)


def problems(*statuses: int) -> dict:
    """The error answers of an operation, as problem+json."""
    described = {
        401: "No valid token (missing, unknown or revoked).",
        404: "No such council for this client, child or step.",
        405: "Not an operation of this address.",
        415: "The body is not JSON.",
        422: "Refused: a date rule, or a body that is not valid.",
        429: "Too many requests: wait as Retry-After says.",
    }
    return {
        (status, PROBLEM_JSON): OpenApiResponse(ProblemOut, description=described[status])
        for status in (401, 404, 405, 429, *statuses)
    }


CONCURRENT = Problem(
    422,
    "Another request wrote the same reference at the same moment. Nothing was saved: send it "
    "again.",
    [{"field": "ref", "rule": "concurrent_write", "message": "Send it again."}],
)


def write(operation, *args):
    """Run one write in a transaction the services join (all or nothing). Two requests racing
    to create the same reference: the database's unique index refuses the second."""
    try:
        with transaction.atomic():
            return operation(*args)
    except IntegrityError:
        raise CONCURRENT from None


class ApiView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsApiClient]
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    def council(self, la: str):
        return ops.council_for(self.request.auth, la)


class ChildView(ApiView):
    @extend_schema(
        operation_id="child_get",
        parameters=[LA, CHILD],
        responses={200: ChildRecordOut, **problems()},
        summary="The child, periods, steps with their refs, stage and open findings",
    )
    def get(self, request, la: str, child: str):
        return Response(ops.child_record(request.auth, self.council(la), child))

    @extend_schema(
        operation_id="child_put",
        parameters=[LA, CHILD],
        request=ChildIn,
        responses={200: ChildOut, 201: ChildOut, **problems(415, 422)},
        summary="Create or update a child by the council's CHILD id",
    )
    def put(self, request, la: str, child: str):
        status, body = write(ops.put_child, request.auth, self.council(la), child, request.data)
        return Response(body, status=status)


class PeriodView(ApiView):
    @extend_schema(
        operation_id="period_put",
        parameters=[LA, CHILD, REF],
        request=PeriodIn,
        responses={200: PeriodOut, 201: PeriodOut, **problems(415, 422)},
        summary="Create or correct a period of care by the case system's reference",
    )
    def put(self, request, la: str, child: str, ref: str):
        status, body = write(
            ops.put_period, request.auth, self.council(la), child, ref, request.data
        )
        return Response(body, status=status)


class EventView(ApiView):
    @extend_schema(
        operation_id="event_put",
        parameters=[LA, CHILD, REF],
        request=EventIn,
        responses={200: EventOut, 201: EventOut, **problems(415, 422)},
        summary="Record or correct a journey step by the case system's reference",
    )
    def put(self, request, la: str, child: str, ref: str):
        status, body = write(
            ops.put_event, request.auth, self.council(la), child, ref, request.data
        )
        return Response(body, status=status)

    @extend_schema(
        operation_id="event_delete",
        parameters=[LA, CHILD, REF],
        request=None,
        responses={200: EventOut, **problems(422)},
        summary="Withdraw a step (kept as entered in error, never deleted)",
    )
    def delete(self, request, la: str, child: str, ref: str):
        status, body = write(ops.delete_event, request.auth, self.council(la), child, ref)
        return Response(body, status=status)


class BatchView(ApiView):
    @extend_schema(
        operation_id="batch",
        parameters=[LA],
        request=BatchIn,
        responses={200: BatchOut, **problems(415, 422)},
        summary="Up to 1,000 PUT/DELETE operations; each child's all or nothing",
    )
    def post(self, request, la: str):
        council = self.council(la)
        data = request.data
        if isinstance(data, dict) and isinstance(data.get("operations"), list):
            count = len(data["operations"])
            if count > ops.MAX_BATCH:
                raise Problem(
                    422,
                    f"A batch holds at most {ops.MAX_BATCH:,} operations; this one has "
                    f"{count:,}. Send it in parts.",
                    [{"field": "operations", "rule": "max_batch", "message": "Too many."}],
                )
        batch = BatchIn(data=data)
        batch.is_valid(raise_exception=True)
        return Response(run_batch(request.auth, council, batch.validated_data["operations"]))


def run_batch(client, council, raw_operations: list[dict]) -> dict:
    """Each child's operations in one transaction (all or nothing), in the order sent; one
    refresh of each child's derived data per batch and one recompute per council at the end."""
    operations = [ops.parse(index, raw) for index, raw in enumerate(raw_operations)]
    results: dict[int, dict] = {}
    groups: dict[str, list[ops.Operation]] = {}
    for op in operations:
        groups.setdefault(op.child_id if op.what else f"#{op.index}", []).append(op)
    with one_recompute_per_council():
        for group in groups.values():
            _run_group(client, council, group, results)
    ordered = [results[op.index] for op in operations]
    applied = sum(1 for r in ordered if r["status"] < 300)
    return {"applied": applied, "refused": len(ordered) - applied, "results": ordered}


def _result(op: ops.Operation, status: int, body=None, problem: Problem | None = None) -> dict:
    row = {"index": op.index, "method": op.method, "path": op.path, "status": status}
    if problem is not None:
        row["problem"] = problem.as_dict()
    else:
        row["body"] = serializers.JSONField().to_representation(body)
    return row


class _GroupRefused(Exception):
    pass


def _run_group(client, council, group: list[ops.Operation], results: dict) -> None:
    failed: ops.Operation | None = None
    done: list[tuple[ops.Operation, int, dict]] = []
    try:
        with transaction.atomic(), one_refresh_per_child():
            child = None
            for op in group:
                failed = op  # until it is done
                if op.problem is None and op.what != "child" and child is None:
                    child = Child.objects.filter(council=council, child_id=op.child_id).first()
                try:
                    if op.problem is not None:
                        raise op.problem
                    status, body = ops.run(client, council, op, child)
                except Problem as problem:
                    failed, op.problem = op, problem
                    raise _GroupRefused from None
                except ValidationError as error:
                    failed, op.problem = op, from_django(error)
                    raise _GroupRefused from None
                done.append((op, status, body))
                failed = None
                if op.what == "child" and child is None:
                    child = Child.objects.filter(council=council, child_id=op.child_id).first()
    except IntegrityError:
        failed = failed or group[-1]
        failed.problem = CONCURRENT
        _refuse_group(group, failed, results)
        return
    except _GroupRefused:
        _refuse_group(group, failed, results)
        return
    for op, status, body in done:
        results[op.index] = _result(op, status, body)


def _refuse_group(group: list[ops.Operation], failed: ops.Operation, results: dict) -> None:
    """The refused operation's problem, and 424 for the child's others (none was applied)."""
    for op in group:
        if op is failed:
            results[op.index] = _result(op, op.problem.status, problem=op.problem)
        else:
            not_applied = Problem(
                424,
                f"Not applied: operation {failed.index} ({failed.method} {failed.path}) for "
                "the same child was refused, and each child's operations are all or nothing.",
            )
            results[op.index] = _result(op, 424, problem=not_applied)


class ScorecardView(ApiView):
    @extend_schema(
        operation_id="scorecard",
        parameters=[
            LA,
            OpenApiParameter(
                "period",
                str,
                OpenApiParameter.QUERY,
                required=True,
                pattern=r"^[0-9]{4}-[0-9]{2}$",
                description="A window (2022-25) or a financial year (2024-25).",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, **problems(422)},
        summary="The council's stored scorecard: the JSON of `scorecard --format json`",
    )
    def get(self, request, la: str):
        council = self.council(la)
        label = request.query_params.get("period", "")
        try:
            period = P.period_from_label(label)
        except ValueError as error:
            raise Problem(
                422, str(error), [{"field": "period", "rule": "period", "message": str(error)}]
            ) from None
        res = scorecard_result(period=period, region_id=council.region_id, council_id=council.pk)
        return Response(scorecard_json(res, council.la_code))


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: a problem, not the site's HTML page."""
    response = problem_response(Problem(404, "No such address in the API."))
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = PROBLEM_JSON
    response.renderer_context = {}
    return response.render()
