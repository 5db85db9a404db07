"""``POST /councils/<la>/batch``: each child's operations all or nothing, every operation's
status in the answer, at most 1,000 operations, one recompute per council."""

from children.models import Child, JourneyEvent
from raa.freshness import RecomputeMarker

BATCH = "councils/801/batch"


def child_ops(child: str, *, adm: str = "2020-06-01") -> list[dict]:
    return [
        {"method": "PUT", "path": f"children/{child}", "body": {"dob": "2019-05-02", "sex": "2"}},
        {
            "method": "PUT",
            "path": f"children/{child}/periods/P1",
            "body": {"entered_care": "2020-01-15", "legal_status": "C2"},
        },
        {
            "method": "PUT",
            "path": f"children/{child}/events/E1",
            "body": {"kind": "adm_decision", "date": adm},
        },
        {
            "method": "PUT",
            "path": f"children/{child}/events/E2",
            "body": {
                "kind": "placement_order",
                "date": "2020-09-01",
                "authority": "placement_order",
            },
        },
    ]


def test_each_childs_operations_apply_all_or_nothing(api_a, world):
    # BAT2's ADM decision comes before it entered care: the date rules refuse it, so none of
    # BAT2's operations apply, while BAT1's and BAT3's all do.
    operations = child_ops("BAT1") + child_ops("BAT2", adm="2019-12-01") + child_ops("BAT3")
    response = api_a.post(BATCH, {"operations": operations})
    assert response.status_code == 200
    answer = response.json()
    statuses = [r["status"] for r in answer["results"]]
    assert statuses == [201] * 4 + [424, 424, 422, 424] + [201] * 4
    assert (answer["applied"], answer["refused"]) == (8, 4)
    refused = answer["results"][6]["problem"]
    # The date rule's own message: the decision (01/12/2019) is before entering care.
    assert refused["errors"][0]["field"] == "date"
    assert "01/12/2019" in refused["errors"][0]["message"]
    assert "entered care" in refused["errors"][0]["message"]
    assert "operation 6" in answer["results"][4]["problem"]["detail"]
    assert answer["results"][0]["body"]["child"] == "BAT1"
    assert sorted(
        Child.objects.filter(child_id__startswith="BAT").values_list("child_id", flat=True)
    ) == [
        "BAT1",
        "BAT3",
    ]
    assert Child.objects.get(child_id="BAT3").stage == "waiting_po"
    assert JourneyEvent.objects.filter(child__child_id="BAT1").count() == 2


def test_a_bad_address_or_method_fails_only_its_own_child(api_a, world):
    operations = child_ops("BAT1") + [
        {"method": "DELETE", "path": "children/BAT9/periods/P1"},
        {"method": "PUT", "path": "households/H1", "body": {}},
    ]
    answer = api_a.post(BATCH, {"operations": operations}).json()
    assert [r["status"] for r in answer["results"]] == [201, 201, 201, 201, 405, 404]


def test_more_than_1000_operations_are_refused_whole(api_a, world):
    operations = [
        {"method": "PUT", "path": f"children/M{n}", "body": {"dob": "2019-05-02"}}
        for n in range(1001)
    ]
    response = api_a.post(BATCH, {"operations": operations})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "at most 1,000" in response.json()["detail"]
    assert not Child.objects.filter(child_id="M1").exists()
    assert api_a.post(BATCH, {"operations": []}).status_code == 422
    assert api_a.post(BATCH, {"nothing": 1}).status_code == 422


def test_a_batch_queues_one_recompute_per_council(api_a, world, django_capture_on_commit_callbacks):
    council = world.councils["A"]
    operations = child_ops("BAT1") + child_ops("BAT2") + child_ops("BAT3")
    with django_capture_on_commit_callbacks() as callbacks:
        answer = api_a.post(BATCH, {"operations": operations}).json()
    assert answer["applied"] == 12
    queued = [c for c in callbacks if getattr(c, "queued_key", None) is not None]
    assert [c.queued_key for c in queued] == [("recompute", council.pk)]
    assert RecomputeMarker.objects.filter(council=council).exists()


def test_single_requests_queue_a_recompute_as_the_forms_do(
    api_a, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        api_a.put("councils/801/children/ONE1", {"dob": "2019-05-02"})
    queued = [c for c in callbacks if getattr(c, "queued_key", None) is not None]
    assert [c.queued_key for c in queued] == [("recompute", world.councils["A"].pk)]


def test_a_batch_corrects_and_withdraws_by_ref(api_a, world):
    api_a.post(BATCH, {"operations": child_ops("BAT1")})
    child = Child.objects.get(child_id="BAT1")
    operations = [
        {
            "method": "PUT",
            "path": "children/BAT1/events/E1",
            "body": {"kind": "adm_decision", "date": "2020-06-02"},
        },
        {"method": "DELETE", "path": "children/BAT1/events/E2"},
    ]
    answer = api_a.post(BATCH, {"operations": operations}).json()
    assert [r["status"] for r in answer["results"]] == [200, 200]
    assert answer["results"][0]["body"]["outcome"] == "updated"
    assert answer["results"][1]["body"]["withdrawn"] is True
    child.refresh_from_db()
    assert (child.stage, str(child.adm_decision_date)) == ("waiting", "2020-06-02")
