"""Forms of the tracking meeting: the meeting itself, and an action for one record."""

from django import forms

from raa.models import Council
from tracking.models import MeetingAction, TrackingMeeting


class MeetingForm(forms.ModelForm):
    """When the meeting met and who attended; which council it was about (or the whole region)
    when the person tracks more than one."""

    council = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        required=False,
        empty_label="The whole region",
        label="Council",
    )

    class Meta:
        model = TrackingMeeting
        fields = ["meeting_date", "attendees"]
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, councils=None, region_wide=False, **kwargs):
        super().__init__(*args, **kwargs)
        if councils is None:
            del self.fields["council"]
        else:
            self.fields["council"].queryset = councils
            self.fields["council"].required = not region_wide
            if not region_wide:
                self.fields["council"].empty_label = None


class ActionForm(forms.ModelForm):
    """What, who, by when: one action for one child or household."""

    class Meta:
        model = MeetingAction
        fields = ["what", "owner", "due_date"]
        widgets = {
            "what": forms.TextInput(),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
