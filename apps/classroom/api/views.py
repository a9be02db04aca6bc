"""Classroom API: the session, and after (or during) the lesson the board, the chat and the materials."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.classroom.api import serializers as s
from apps.classroom.selectors import session_get_for_participant
from apps.classroom.selectors.board import board_json
from apps.classroom.selectors.chat import chat_history
from apps.classroom.selectors.materials import material_list, material_page_for_participant
from apps.classroom.services.materials import material_upload

TAGS = ["classroom"]


class SessionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: s.ClassroomSessionSerializer}, summary="A lesson's classroom")
    def get(self, request: Request, session_id: int) -> Response:
        session = session_get_for_participant(user=request.user, session_id=session_id)  # type: ignore[arg-type]
        return Response(s.ClassroomSessionSerializer(session).data)


class BoardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={200: s.BoardSerializer},
        summary="The whiteboard as JSON",
        description="The stored board (see docs/whiteboard.md): the student's notes after the lesson.",
    )
    def get(self, request: Request, session_id: int) -> Response:
        session = session_get_for_participant(user=request.user, session_id=session_id)  # type: ignore[arg-type]
        return Response(board_json(session_id=session.pk))


class ChatView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: s.ChatEntrySerializer(many=True)}, summary="Chat history")
    def get(self, request: Request, session_id: int) -> Response:
        session = session_get_for_participant(user=request.user, session_id=session_id)  # type: ignore[arg-type]
        return Response(chat_history(session_id=session.pk))


class MaterialListView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]
    error_statuses = (409,)

    @extend_schema(tags=TAGS, responses={200: s.MaterialSerializer(many=True)}, summary="Lesson materials")
    def get(self, request: Request, session_id: int) -> Response:
        session = session_get_for_participant(user=request.user, session_id=session_id)  # type: ignore[arg-type]
        return Response(s.MaterialSerializer(material_list(session_id=session.pk), many=True).data)

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": s.MaterialUploadSerializer},
        responses={201: s.MaterialSerializer},
        summary="Upload a PDF or an image (tutor)",
        description="PDF, PNG, JPEG or WebP, at most CLASSROOM_MATERIAL_MAX_BYTES. A PDF is `processing` until "
        "its pages are rendered, then `ready` (or `failed`).",
    )
    def post(self, request: Request, session_id: int) -> Response:
        data = s.MaterialUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        material = material_upload(session_id=session_id, user=request.user, upload=data.validated_data["file"])  # type: ignore[arg-type]
        return Response(s.MaterialSerializer(material).data, status=status.HTTP_201_CREATED)


class MaterialPageView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={(200, "image/png"): OpenApiTypes.BINARY}, summary="A page image")
    def get(self, request: Request, material_id: int, number: int) -> FileResponse:
        page = material_page_for_participant(user=request.user, material_id=material_id, number=number)  # type: ignore[arg-type]
        response = FileResponse(page.image.open("rb"))
        response["Cache-Control"] = "private, max-age=86400"
        return response
