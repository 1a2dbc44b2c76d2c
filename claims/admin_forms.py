"""Forms of the claim page: the claim form itself and the forms behind the workflow buttons
(see ``ClaimAdmin.workflow_view``).

They only parse what was posted; whether a move or an edit is allowed (role, state, four eyes,
publish gates, a required comment or note, a stale copy) is decided by ``claims.services``.
"""

from __future__ import annotations

from django import forms

from claims.models import Claim, Correction, Rating
from claims.services import EDITABLE_FIELDS

CORRECTION_KINDS = [
    (Correction.Kind.CORRECTION.value, Correction.Kind.CORRECTION.label),
    (Correction.Kind.UPDATE.value, Correction.Kind.UPDATE.label),
    (Correction.Kind.RATING_CHANGE.value, Correction.Kind.RATING_CHANGE.label),
]


class ClaimAdminForm(forms.ModelForm):
    """The claim form, carrying the version the editor loaded so a save over someone else's
    newer change is refused (``claim_update(expected_version=...)``) instead of overwriting it."""

    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Claim
        fields = sorted(EDITABLE_FIELDS)  # what claim_update accepts

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version


class CommentForm(forms.Form):
    """Submit, publish and request changes (the service says when the comment is required)."""

    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RetractForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Public: shown on the claim's page with the retraction.",
    )


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(choices=CORRECTION_KINDS)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Public: what changed and why.",
    )
    new_rating = forms.ModelChoiceField(
        Rating.objects.all(), required=False,
        help_text="Only for a rating change; a rating change by the claim's author is refused.",
    )
    rating_explanation = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty to keep the current explanation.",
    )


WORKFLOW_FORMS: dict[str, type[forms.Form]] = {
    "submit": CommentForm,
    "request_changes": CommentForm,
    "publish": CommentForm,
    "retract": RetractForm,
    "correct": CorrectionForm,
}
