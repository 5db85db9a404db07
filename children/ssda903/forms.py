"""The upload form for a council's 903 files."""

from django import forms

from raa import access

MAX_FILE_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    council = forms.ModelChoiceField(queryset=None, empty_label=None)
    header = forms.FileField(label="header.csv", help_text="CHILD, SEX, DOB, ETHNIC, UPN …")
    episodes = forms.FileField(label="episodes.csv", help_text="CHILD, DECOM, RNE, LS, PLACE …")
    placed_for_adoption = forms.FileField(
        label="placed_for_adoption.csv", help_text="CHILD, DATE_PLACED, DATE_PLACED_CEASED …"
    )
    ad1 = forms.FileField(label="ad1.csv", help_text="CHILD, DATE_INT, DATE_MATCH, FOSTER_CARE …")
    dry_run = forms.BooleanField(
        label="Check only: report what would happen and write nothing", required=False
    )
    strict = forms.BooleanField(
        label="Strict: import nothing if any child has an error", required=False
    )

    FILE_FIELDS = {
        "header": "header.csv",
        "episodes": "episodes.csv",
        "placed_for_adoption": "placed_for_adoption.csv",
        "ad1": "ad1.csv",
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = access.councils_for(user, access.IMPORT_ROLES).order_by(
            "name"
        )
        for name in self.FILE_FIELDS:
            self.fields[name].widget.attrs["accept"] = ".csv,text/csv"

    def clean(self):
        data = super().clean()
        for name in self.FILE_FIELDS:
            upload = data.get(name)
            if upload is not None and upload.size > MAX_FILE_BYTES:
                self.add_error(name, "This file is larger than 50 MB.")
        return data

    def files_by_name(self) -> dict[str, bytes]:
        return {
            filename: self.cleaned_data[field].read()
            for field, filename in self.FILE_FIELDS.items()
        }
