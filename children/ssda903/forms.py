"""The upload form for 903 files: any names (the tables are found by their columns), the XML
return, or a zip; for one council, or (a region-wide data officer) for each row's council from
the files' LA column."""

from django import forms
from django.utils.html import format_html

from raa import access
from raa.glossary import abbr_html
from raa.models import Council

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILES = 30
#: The choice of ``council`` that sends each row to the council its LA column names.
BY_LA = "la"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        if isinstance(data, list | tuple):
            data = None
        return [single(data, initial)] if data else single(data, initial)


class ImportForm(forms.Form):
    council = forms.ChoiceField(
        help_text=format_html(
            "With an {} column in the files, only the rows for the council chosen are "
            "imported; rows of other councils are counted in the report, never put elsewhere.",
            abbr_html("LA"),
        )
    )
    files = MultipleFileField(
        label="903 files",
        help_text=format_html(
            "The council's 903 CSV tables under any names (header, episodes, "
            "placed_for_adoption, ad1; other tables are left out), the {} XML return, or a zip "
            "of either. The tables are recognised by their columns.",
            abbr_html("DfE"),
        ),
    )
    dry_run = forms.BooleanField(
        label="Check only: report what would happen and write nothing", required=False
    )
    strict = forms.BooleanField(
        label="Strict: import nothing if any child has an error", required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = list(access.councils_for(user, access.IMPORT_ROLES).order_by("name"))
        choices = [(str(c.pk), f"{c.name} ({c.la_code})") for c in self.councils]
        if access.region_wide(user, access.IMPORT_ROLES):
            choices.insert(0, (BY_LA, "Each row's council, from its LA column"))
        self.fields["council"].choices = choices
        self.fields["files"].widget.attrs["accept"] = ".csv,.xml,.zip,.txt,text/csv,text/xml"

    def clean_council(self) -> Council | str:
        value = self.cleaned_data["council"]
        if value == BY_LA:
            return BY_LA
        return next(c for c in self.councils if str(c.pk) == value)

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(f"At most {MAX_FILES} files at once (or send a zip).")
        for upload in uploads:
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(f"{upload.name} is larger than 50 MB.")
        return uploads

    def files_by_name(self) -> dict[str, bytes]:
        """The uploaded files by name (a name used twice gets a number, so none is lost)."""
        found: dict[str, bytes] = {}
        for upload in self.cleaned_data["files"]:
            name = upload.name
            while name in found:
                name = f"({len(found)}) {upload.name}"
            found[name] = upload.read()
        return found
