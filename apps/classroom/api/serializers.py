from __future__ import annotations

from rest_framework import serializers

from apps.classroom.models import Attendance, ClassroomSession, Material, MaterialPage
from apps.core.api.serializers import InputSerializer


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    class Meta:
        model = Attendance
        fields = ["user", "role", "joined_at", "left_at"]


class ClassroomSessionSerializer(serializers.ModelSerializer[ClassroomSession]):
    start = serializers.DateTimeField(source="booking.start")
    end = serializers.DateTimeField(source="booking.end")
    attendance = AttendanceSerializer(many=True)

    class Meta:
        model = ClassroomSession
        fields = [
            "id",
            "booking",
            "status",
            "start",
            "end",
            "started_at",
            "ended_at",
            "student_no_show",
            "tutor_no_show",
            "attendance",
        ]


class BoardSerializer(serializers.Serializer):
    session_id = serializers.IntegerField()
    pages = serializers.ListField(child=serializers.DictField())
    elements = serializers.DictField(child=serializers.DictField(), help_text="Elements keyed by id.")


class ChatEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = serializers.IntegerField()
    sender_name = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class MaterialPageSerializer(serializers.ModelSerializer[MaterialPage]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = MaterialPage
        fields = ["number", "width", "height", "url"]

    def get_url(self, obj: MaterialPage) -> str:
        return f"/api/v1/classroom/materials/{obj.material_id}/pages/{obj.number}/"


class MaterialSerializer(serializers.ModelSerializer[Material]):
    pages = MaterialPageSerializer(many=True)

    class Meta:
        model = Material
        fields = ["id", "kind", "name", "size", "status", "created_at", "pages"]


class MaterialUploadSerializer(InputSerializer):
    file = serializers.FileField()
