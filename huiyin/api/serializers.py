from rest_framework import serializers

from huiyin.cases.models import Case, CaseEvent


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default="", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["kind", "stage", "from_status", "to_status", "actor", "at", "text"]


class CaseListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    handling_unit = serializers.CharField(source="handling_unit.name", default=None, read_only=True)
    responsible_leader = serializers.CharField(source="responsible_leader.display_name", default=None, read_only=True)
    category = serializers.CharField(source="category.code", default=None, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "case_no",
            "status",
            "status_label",
            "stage",
            "type",
            "channel",
            "source",
            "category",
            "subject",
            "received_at",
            "handling_unit",
            "responsible_leader",
            "collective",
            "headcount",
            "anonymous",
        ]


class CaseDetailSerializer(CaseListSerializer):
    events = CaseEventSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "content",
            "plan",
            "forwarded_authority",
            "forwarded_ref",
            "forwarded_deadline",
            "events",
        ]
