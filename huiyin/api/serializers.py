from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huiyin.cases.models import Case, CaseEvent, ReplyDraft


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default="", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["kind", "stage", "from_status", "to_status", "actor", "at", "text"]


class ReplyDraftSerializer(serializers.ModelSerializer):
    """The current stage's newest reply draft. Its text and the leader's note are working papers: only
    for those who draft or issue replies (the field is then null for others)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    written_by = serializers.CharField(source="written_by.display_name", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.display_name", default=None, allow_null=True, read_only=True, help_text="Null until decided."
    )
    text = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()

    class Meta:
        model = ReplyDraft
        fields = [
            "version",
            "stage",
            "status",
            "status_label",
            "written_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "text",
            "note",
        ]

    def _may_read(self) -> bool:
        user = getattr(self.context.get("request"), "user", None)
        return bool(user and (user.has_perm("cases.draft_reply") or user.has_perm("cases.reply_case")))

    def get_text(self, obj: ReplyDraft) -> str | None:
        return obj.text if self._may_read() else None

    def get_note(self, obj: ReplyDraft) -> str | None:
        return obj.note if self._may_read() else None


def _nullable_char(source: str, help_text: str) -> serializers.CharField:
    """A read-only text field from a relation that may be empty (no unit, leader or category yet): null then."""
    return serializers.CharField(source=source, default=None, allow_null=True, read_only=True, help_text=help_text)


class CaseListSerializer(serializers.ModelSerializer):
    """A case as listed. Every `*_label` and `category_name` is in the language of the request (Chinese by
    default), beside the code it names; the codes and ids are what the list's filters take."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    handling_unit = _nullable_char("handling_unit.name", "Null until assigned.")
    handling_unit_code = _nullable_char(
        "handling_unit.code", "The handling unit's code, as the `unit` filter takes it. Null until assigned."
    )
    responsible_leader = _nullable_char("responsible_leader.display_name", "Null until assigned.")
    responsible_leader_id = serializers.IntegerField(
        default=None,
        allow_null=True,
        read_only=True,
        help_text="The responsible leader's id, as the `leader` filter takes it. Null until assigned.",
    )
    category = _nullable_char(
        "category.code", "The category's code, as the `category` filter takes it. Null until categorised."
    )
    # str(Category) is its name in the active language.
    category_name = _nullable_char("category", "Null until categorised.")

    class Meta:
        model = Case
        fields = [
            "id",
            "case_no",
            "status",
            "status_label",
            "stage",
            "stage_label",
            "type",
            "type_label",
            "channel",
            "channel_label",
            "source",
            "source_label",
            "category",
            "category_name",
            "subject",
            "received_at",
            "handling_unit",
            "handling_unit_code",
            "responsible_leader",
            "responsible_leader_id",
            "collective",
            "headcount",
            "anonymous",
        ]


class CaseDetailSerializer(CaseListSerializer):
    events = serializers.SerializerMethodField()
    reply_draft = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "content",
            "plan",
            "forwarded_authority",
            "forwarded_ref",
            "forwarded_deadline",
            "reply_draft",
            "events",
        ]

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, obj: Case) -> list[dict]:
        """The timeline as the caller may read it (`case_timeline`: no link to a case outside their scope)."""
        from huiyin.cases.selectors import case_timeline

        return CaseEventSerializer(case_timeline(case=obj, user=self.context["request"].user), many=True).data

    @extend_schema_field(ReplyDraftSerializer(allow_null=True))
    def get_reply_draft(self, obj: Case) -> dict | None:
        from huiyin.cases.selectors import reply_draft_latest

        draft = reply_draft_latest(case=obj)
        return ReplyDraftSerializer(draft, context=self.context).data if draft is not None else None
