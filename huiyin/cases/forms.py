"""Forms of the staff pages. Every label and message is translatable; Chinese is the default."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huiyin.cases.attachments import uploads_refused
from huiyin.cases.hooks import reply_missing
from huiyin.cases.models import Case, Category, DraftStatus, ExtensionStatus, LinkKind
from huiyin.cases.numbers import case_no_parse
from huiyin.cases.querysets import kept_off
from huiyin.cases.selectors import earlier_stage_people
from huiyin.cases.states import (
    CaseStage,
    CaseStatus,
    Compartment,
    LawfulChannel,
    Rating,
    draft_label,
    reply_label,
    reply_noun,
)
from huiyin.core.dates import date_text, datetime_text
from huiyin.core.forms import CountedTextarea, MultipleFileField
from huiyin.org.forms import UnitChoiceField, UnitLabelsMixin
from huiyin.org.models import OrgUnit, User

TEXTAREA = CountedTextarea(attrs={"rows": 4})


class AttachmentsField(MultipleFileField):
    """Files of a form, checked with its other fields (`uploads_refused`): a refused file is named together
    with every other error at once, before the browser clears the file field. The services check them again."""

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        refused = uploads_refused(files)
        if refused:
            raise forms.ValidationError(refused)
        return files


class _UserLabelMixin(UnitLabelsMixin):
    """Label a person with their title and where they work ("张三 科长（A公司 · 人力资源部）").

    People with the same name or title in different companies must be told apart. The unit names
    along each path are read once per form field (one query), not once per option; the queryset should
    select the user's unit.
    """

    def label_from_instance(self, obj: User) -> str:
        name = f"{obj.display_name} {obj.title}" if obj.title else obj.display_name
        where = self.unit_label(obj.unit if obj.unit_id else None)
        return f"{name}（{where}）" if where else name


class UserChoiceField(_UserLabelMixin, forms.ModelChoiceField):
    pass


class UserMultipleChoiceField(_UserLabelMixin, forms.ModelMultipleChoiceField):
    pass


def units_for(user: User):
    if user.unit_id is None:
        return OrgUnit.objects.all() if user.is_superuser else OrgUnit.objects.none()
    return OrgUnit.objects.subtree_of(user.unit)


def staff_with(perm: str, user: User):
    app_label, codename = perm.split(".")
    has = (
        User.objects.filter(is_active=True)
        .filter(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
        .values("pk")
    )
    qs = User.objects.filter(pk__in=has).select_related("unit")
    if user.unit_id is not None and not user.is_superuser:
        qs = qs.filter(unit__path__startswith=user.unit.path)
    return qs.order_by("unit__path", "username")


class AcceptForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True), required=False
    )
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False, max_length=2000)

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # A case registered without a category is accepted only with one.
        if case.category_id is None:
            self.fields["category"].required = True
            self.fields["category"].error_messages["required"] = _("Choose a category.")
        elif not self.is_bound and "category" not in self.initial:
            self.initial["category"] = case.category_id


class CategoriseForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True))
    reason = forms.CharField(
        label=_("Reason"),
        widget=TEXTAREA,
        max_length=2000,
        help_text=_("Why the category changes; recorded on the timeline."),
    )

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if case.category_id and not self.is_bound:
            self.initial["category"] = case.category_id
        # Setting the first category needs no reason; changing one does (the service checks it too).
        self.fields["reason"].required = case.category_id is not None


def _reason_told_to_petitioner() -> forms.CharField:
    """The reason of a decision not to handle the matter as a petition: the petitioner reads it on the portal
    and in the notice they are sent, so it is written for them (no internal notes)."""
    return forms.CharField(
        label=_("Reason told to the petitioner"),
        widget=TEXTAREA,
        max_length=2000,
        help_text=_(
            "The petitioner is told this reason: it is shown on the portal and in the notice sent to them. "
            "Write it for the petitioner, without internal remarks."
        ),
    )


class RedirectForm(forms.Form):
    channel = forms.ChoiceField(label=_("Lawful channel"), choices=LawfulChannel.choices)
    reason = _reason_told_to_petitioner()


class ForwardForm(forms.Form):
    to_whom = forms.CharField(label=_("Body with jurisdiction"), max_length=100)
    reason = _reason_told_to_petitioner()


class NotAcceptForm(forms.Form):
    reason = _reason_told_to_petitioner()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=2000)


class AssignForm(forms.Form):
    handling_unit = UnitChoiceField(label=_("Handling unit"), queryset=OrgUnit.objects.none())
    leader = UserChoiceField(label=_("Responsible leader"), queryset=User.objects.none())
    team = UserMultipleChoiceField(
        label=_("Handling team"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    plan = forms.CharField(label=_("Handling plan"), widget=TEXTAREA, max_length=4000)

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_unit"].queryset = units_for(user)
        self.fields["leader"].queryset = staff_with("cases.approve_extension", user).filter(
            groups__name__in=["leader", "discipline"]
        )
        self.fields["team"].queryset = staff_with("cases.handle_case", user)
        hints = []
        if case.compartment == Compartment.DISCIPLINE:
            # An accusation report is discipline inspection's (Art. 30): only those who may open such reports.
            for name in ("leader", "team"):
                self.fields[name].queryset = self.fields[name].queryset.filter(
                    pk__in=staff_with("cases.view_discipline_case", user).values("pk")
                )
            self.fields["plan"].label = _("Verification plan")
            hints.append(_("Only discipline inspection staff are listed: this is an accusation report (Art. 30)."))
        offered = {*self.fields["leader"].queryset, *self.fields["team"].queryset}
        barred = kept_off(case, offered)
        if barred:
            for name in ("leader", "team"):
                self.fields[name].queryset = self.fields[name].queryset.exclude(pk__in=barred)
            hints.append(
                _(
                    "People this case is kept from (those it concerns, their reporting line, the recused) are not listed."
                )
            )
        for name in ("leader", "team"):
            self.fields[name].help_text = " ".join(str(h) for h in hints)
        if case.stage != CaseStage.FIRST:
            # Who took part in an earlier stage may not take this one (Arts. 35, 36): not offered, and said so.
            # `case_assign` refuses them as well, with the article, should a stale form still name one.
            earlier = earlier_stage_people(case=case)
            hints.append(_("People who took part in an earlier stage of this case are not listed (Arts. 35, 36)."))
            for name in ("leader", "team"):
                self.fields[name].queryset = self.fields[name].queryset.exclude(pk__in=earlier)
                self.fields[name].help_text = " ".join(str(h) for h in hints)
        # The case's assignment is the form's start only within its own stage: a review (复查) or re-review
        # (复核) not yet assigned still carries the previous stage's unit, leader and team, who may not take
        # it (Arts. 35, 36). The workflow app proposes the superior body instead (`cases.hooks.form_initial`).
        own_stage = case.stage == CaseStage.FIRST or case.status != CaseStatus.ACCEPTED
        if case.handling_unit_id and own_stage and not self.is_bound:
            self.initial.update(
                handling_unit=case.handling_unit_id,
                leader=case.responsible_leader_id,
                team=list(case.members.values_list("user_id", flat=True)),
                plan=case.plan,
            )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Progress or measures taken"), widget=TEXTAREA, max_length=4000)


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason (told to the petitioner)"), widget=TEXTAREA, max_length=2000)


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False, max_length=2000)

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # The approver decides on the request itself: show it on the form, not only in the sidebar.
        self.extension = (
            case.extensions.filter(status=ExtensionStatus.REQUESTED, stage=case.stage)
            .select_related("requested_by")
            .first()
        )
        self.summary: list[tuple[str, str]] = []
        if self.extension is None:
            return
        from huiyin.workflow.services import deadline_extension_preview

        ext = self.extension
        current, new = deadline_extension_preview(case=case, stage=ext.stage, days=ext.days)
        self.summary = [
            (_("Requested by"), ext.requested_by.display_name),
            (_("Days requested"), str(ext.days)),
            (_("Reason"), ext.reason),
            (_("Current due date"), date_text(current) if current else "—"),
            (_("New due date if approved"), date_text(new) if new else "—"),
        ]


class ReplyForm(forms.Form):
    """The written reply, checked by the reply checkers (`cases.hooks`) before it goes out.

    When the check finds something missing the form is refused once, listing the items, and offers a
    tick ("issue anyway") so the reply goes out only on a person's explicit decision. While a draft
    of the handling unit awaits sign-off, the form starts at its text.
    """

    anyway_field = "issue_anyway"
    anyway_label = _("Issue anyway: I have read what the check found missing")
    anyway_hint = _("Complete the reply, or tick “issue anyway” to issue it as it is.")

    text = forms.CharField(
        label=_("Written reply"),
        widget=CountedTextarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("The facts found, the basis (policy or rule) and the measures. The next right is added for you."),
    )

    def __init__(self, *args, case: Case | None = None, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        self.summary: list[tuple[str, str]] = []
        if case is not None:
            # Named after the stage's answer: 书面答复, 书面复查意见, 书面复核意见.
            self.fields["text"].label = _("Written {answer}").format(answer=reply_noun(case.stage))
        if case is not None and not self.is_bound and not self.initial.get("text"):
            start = self.initial_text()
            if start:
                self.initial["text"] = start
        if self.is_bound and self.data.get(self.anyway_field):
            self._offer_anyway()

    def initial_text(self) -> str:
        from huiyin.cases.selectors import reply_draft_pending

        pending = reply_draft_pending(case=self.case)
        return pending.text if pending is not None else ""

    def _offer_anyway(self) -> None:
        # Offered only once a check found something missing, so nobody ticks it in advance.
        if self.anyway_field not in self.fields:
            self.fields[self.anyway_field] = forms.BooleanField(label=self.anyway_label, required=False)

    def needs_check(self) -> bool:
        return True

    def clean(self):
        data = super().clean()
        if self.case is None or not data.get("text") or data.get(self.anyway_field) or not self.needs_check():
            return data
        missing = reply_missing(self.case, data["text"])
        if missing:
            self._offer_anyway()
            raise forms.ValidationError([_("The reply check found something missing:"), *missing, self.anyway_hint])
        return data


def _draft_facts(draft) -> list[tuple[str, str]]:
    """What the leader (or the drafter, after a return) needs to know about a draft, for the form's summary."""
    facts = [
        (_("Draft"), _("Version {n}, {status}").format(n=draft.version, status=draft.get_status_display())),
        (_("Drafted by"), draft.written_by.display_name),
    ]
    if draft.submitted_at:
        facts.append((_("Submitted for sign-off at"), datetime_text(draft.submitted_at)))
    if draft.check_missing:
        facts.append((_("Submitted although the check found missing"), "\n".join(draft.check_missing)))
    return facts


class DraftReplyForm(ReplyForm):
    """The handling unit's draft (起草答复): saved as it is, or submitted to the responsible leader for
    sign-off, which runs the reply check first, like issuing does."""

    SAVE, SUBMIT = "save", "submit"
    anyway_field = "submit_anyway"
    anyway_label = _("Submit anyway: I have read what the check found missing")
    anyway_hint = _("Complete the draft, or tick “submit anyway” to submit it as it is.")

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, case=case, user=user, **kwargs)
        self.fields["text"].label = draft_label(case.stage)
        self.fields["text"].help_text = _(
            "The facts found, the basis (policy or rule) and the measures. Save the draft as often as you like; "
            "submit it when it is ready for the responsible leader's sign-off."
        )
        self.buttons = [
            ("intent", self.SAVE, _("Save draft"), "secondary"),
            ("intent", self.SUBMIT, _("Submit for sign-off"), "primary"),
        ]
        from huiyin.cases.selectors import reply_draft_latest

        latest = reply_draft_latest(case=case)
        if latest is not None and latest.status == DraftStatus.RETURNED:
            self.summary = [
                (_("Returned by"), latest.decided_by.display_name if latest.decided_by else "—"),
                (_("What to revise"), latest.note),
            ]

    def initial_text(self) -> str:
        from huiyin.cases.selectors import reply_draft_latest

        # Continue from the newest version of this stage: the open draft, or the one just returned.
        latest = reply_draft_latest(case=self.case)
        return latest.text if latest is not None and latest.status != DraftStatus.SUPERSEDED else ""

    @property
    def submit(self) -> bool:
        return self.is_bound and self.data.get("intent") == self.SUBMIT

    def needs_check(self) -> bool:
        return self.submit

    def done_message(self) -> str:
        """What the page says once the draft is through: saving and submitting are different steps."""
        if self.submit:
            return _("The draft is submitted to the responsible leader for sign-off.")
        return _("The draft is saved. Submit it when it is ready for sign-off.")

    def clean(self):
        data = super().clean()
        data["submit"] = self.submit
        return data


class SignOffForm(ReplyForm):
    """The responsible leader's sign-off (审签并答复): the submitted draft, editable, issued as the reply."""

    note = forms.CharField(
        label=_("Note to the drafter"),
        widget=CountedTextarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, case=case, user=user, **kwargs)
        from huiyin.cases.selectors import reply_draft_pending

        self.draft = reply_draft_pending(case=case)
        issue = _("Sign off and issue the {answer}").format(answer=reply_noun(case.stage))
        self.buttons = [("intent", "issue", issue, "primary")]
        self.fields["text"].label = _("{answer} to issue").format(answer=reply_label(case.stage))
        self.fields["text"].help_text = _(
            "The draft as submitted; edit it where needed before signing off. The next right is added for you."
        )
        if self.draft is not None:
            self.summary = _draft_facts(self.draft)


class ReturnDraftForm(forms.Form):
    """Return the submitted draft for revision (退回修改), saying what to revise."""

    note = forms.CharField(
        label=_("What to revise"),
        widget=TEXTAREA,
        max_length=2000,
        help_text=_("Told to the drafter and kept on the timeline."),
        error_messages={"required": _("Say what the drafter should revise.")},
    )

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        from huiyin.cases.selectors import reply_draft_pending

        self.draft = reply_draft_pending(case=case)
        self.buttons = [("intent", "return", _("Return the draft"), "danger")]
        self.summary = (
            [*_draft_facts(self.draft), (draft_label(self.draft.stage), self.draft.text)] if self.draft else []
        )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Say what the drafter should revise."))
        return note


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), widget=TEXTAREA, required=False, max_length=2000)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False, max_length=2000)


class LinkForm(forms.Form):
    case_no = forms.CharField(label=_("Case number"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=LinkKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_case_no(self) -> Case:
        number = case_no_parse(self.cleaned_data["case_no"])
        other = Case.objects.visible_to(self.user).filter(case_no=number).first() if number else None
        if other is None:
            raise forms.ValidationError(_("No case with this number was found."))
        return other


class RecuseForm(forms.Form):
    user = UserChoiceField(label=_("Staff member"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_with("cases.view_case", user)


class UnsealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need to see the identity?"), max_length=500, min_length=4)


class AttachmentOriginalForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the original file?"), max_length=500, min_length=4)
