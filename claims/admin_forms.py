"""Forms of the claim page: the claim form itself and the forms behind the workflow buttons
(see ``ClaimAdmin.workflow_view``), generated from ``claims.workflow.ACTIONS``.

They only parse what was posted; whether a move or an edit is allowed (role, state, four eyes,
publish gates, a required comment or note, a stale copy) is decided by ``claims.services``.
"""

from __future__ import annotations

from django import forms

from claims.models import Claim, Rating
from claims.services import EDITABLE_FIELDS
from claims.workflow import Action


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
        if "language" in self.fields:
            # Empty: detected from the text. A language typed (or changed) here is the editor's
            # and is kept through later edits (sources.language).
            self.fields["language"].required = False
            self.fields["language"].help_text = (
                "BCP 47, e.g. en, es. Leave empty to detect it from the text; a language you set "
                "is kept.")
            if not self.instance.pk:
                self.initial["language"] = ""


def workflow_form(action: Action) -> type[forms.Form]:
    """The form behind an action's button, built from its inputs in ``claims.workflow``.

    Texts are never required here: a missing comment or note is refused by the service, so the
    refusal reads like every other one.
    """
    fields: dict[str, forms.Field] = {}
    for spec in action.inputs:
        if spec.kind == "choice":
            fields[spec.name] = forms.ChoiceField(choices=spec.choices, required=spec.required,
                                                  label=spec.label, help_text=spec.help_text)
        elif spec.kind == "rating":
            fields[spec.name] = forms.ModelChoiceField(
                Rating.objects.all(), required=False, label=spec.label, help_text=spec.help_text)
        else:
            fields[spec.name] = forms.CharField(
                required=False, max_length=spec.max_length, label=spec.label,
                help_text=spec.help_text,
                # The browser asks for a required text; a forged POST meets the service's refusal.
                widget=forms.Textarea(attrs={"rows": 2, **({"required": True} if spec.required else {})}))
    name = "".join(part.title() for part in action.name.split("_")) + "Form"
    return type(name, (forms.Form,), fields)
