"""Readable change history of a case record, from django-simple-history's tables."""

from django.core.exceptions import ObjectDoesNotExist


def history_rows(*history_querysets) -> list[dict]:
    """Each save of the given records as a row: when, who, what kind of record, and each changed
    field with its old and new value. Newest first. Reads each history table once."""
    rows = []
    for qs in history_querysets:
        records = list(qs.select_related("history_user").order_by("id", "history_id"))
        previous_by_object: dict = {}
        for record in records:
            model = record.instance_type
            object_pk = record.instance.pk
            previous = previous_by_object.get(object_pk)
            if previous is None:
                tracked = {f.attname for f in record._meta.fields}
                changes = [
                    {"field": f.verbose_name, "old": "", "new": _display(record, f)}
                    for f in model._meta.fields
                    if f.name not in ("id", "created_at", "updated_at", "recorded_at")
                    and f.attname in tracked
                    and _worth_showing(getattr(record, f.attname))
                ]
            else:
                delta = record.diff_against(previous)
                changes = [
                    {
                        "field": model._meta.get_field(c.field).verbose_name,
                        "old": _display(previous, model._meta.get_field(c.field)),
                        "new": _display(record, model._meta.get_field(c.field)),
                    }
                    for c in delta.changes
                    if c.field not in ("updated_at",)
                ]
            previous_by_object[object_pk] = record
            rows.append(
                {
                    "at": record.history_date,
                    "who": record.history_user,
                    "what": f"{model._meta.verbose_name}",
                    "action": {"+": "Created", "~": "Changed", "-": "Removed"}[record.history_type],
                    "changes": changes,
                }
            )
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows


def _worth_showing(value) -> bool:
    """A new record's field is listed unless it is empty or an unticked box."""
    return value is not None and value != "" and value is not False


def _display(record, field) -> str:
    if field.is_relation:
        related_id = getattr(record, field.attname)
        if related_id is None:
            return ""
        try:
            return str(getattr(record, field.name))
        except ObjectDoesNotExist:  # the related row no longer exists under that id
            return f"#{related_id}"
    if field.choices:
        value = getattr(record, field.attname)
        return str(dict(field.flatchoices).get(value, value))
    value = getattr(record, field.attname)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
