"""Booking API: thin views over ``apps.booking.services`` and ``apps.booking.selectors``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.booking import selectors, services
from apps.booking.api import serializers as s
from apps.classroom.selectors import classroom_access
from apps.core.api.idempotency import idempotent
from apps.core.api.pagination import paginated_response
from apps.core.api.permissions import IsTutor
from apps.core.api.schema_helpers import PAGE_PARAMETERS, paginated
from apps.core.exceptions import NotFoundError
from apps.core.timeutils import iso_utc
from apps.marketplace.api.serializers import ReviewSerializer
from apps.marketplace.selectors import review_public, tutor_published_exists

TAGS = ["booking"]


def booking_response(booking: Any, request: Request, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(s.BookingSerializer(booking, context={"viewer": request.user}).data, status=status_code)


class AvailabilityView(APIView):
    permission_classes = [IsTutor]

    @extend_schema(tags=TAGS, responses={200: s.AvailabilitySerializer}, summary="My weekly hours and booking rules")
    def get(self, request: Request) -> Response:
        availability = selectors.availability_get(tutor_id=request.user.pk)
        return Response(s.availability_representation(availability, request.user))  # type: ignore[arg-type]

    @extend_schema(tags=TAGS, request=s.AvailabilitySerializer, responses={200: s.AvailabilitySerializer})
    def put(self, request: Request) -> Response:
        data = s.AvailabilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        availability = services.availability_set(user=request.user, **data.service_kwargs())  # type: ignore[arg-type]
        return Response(s.availability_representation(availability, request.user))  # type: ignore[arg-type]


class OverrideListView(APIView):
    permission_classes = [IsTutor]

    @extend_schema(
        tags=TAGS, responses={200: s.OverrideSerializer(many=True)}, summary="My date overrides and time off"
    )
    def get(self, request: Request) -> Response:
        overrides = selectors.override_list(tutor_id=request.user.pk)
        return Response(s.OverrideSerializer(overrides, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=s.OverrideInputSerializer,
        responses={201: s.OverrideSerializer},
        summary="Other hours, or time off, for a date or a range of dates",
    )
    def post(self, request: Request) -> Response:
        data = s.OverrideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        override = services.override_create(
            user=request.user,  # type: ignore[arg-type]
            start_date=values["start_date"],
            end_date=values.get("end_date"),
            intervals=[(r["start"], r["end"]) for r in values["intervals"]],
            note=values["note"],
        )
        return Response(s.OverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class OverrideDetailView(APIView):
    permission_classes = [IsTutor]

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, override_id: int) -> Response:
        services.override_delete(user=request.user, override_id=override_id)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class SlotsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        parameters=[s.SlotQuerySerializer],
        responses={200: s.SlotsSerializer},
        summary="Free slots of a tutor",
        description="Starts in [start, end) (at most 31 days), UTC, sorted. A signed-in student also sees "
        "their own lessons excluded.",
    )
    def get(self, request: Request, tutor_id: int) -> Response:
        query = s.SlotQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        if not tutor_published_exists(tutor_id=tutor_id):
            raise NotFoundError("No such tutor.", code="tutor_not_found")
        user = request.user
        slots = selectors.tutor_free_slots(
            tutor_id=tutor_id,
            window_start=query.validated_data["start"],
            window_end=query.validated_data["end"],
            duration=timezone.timedelta(minutes=query.validated_data["duration"]),
            now=timezone.now(),
            student_id=user.pk if getattr(user, "is_student", False) else None,
        )
        return Response(
            {
                "tutor": tutor_id,
                "duration": query.validated_data["duration"],
                "slots": [{"start": iso_utc(start), "end": iso_utc(end)} for start, end in slots],
            }
        )


class BookingListView(APIView):
    permission_classes = [IsAuthenticated]
    error_statuses = (409,)

    @extend_schema(
        tags=TAGS,
        parameters=[s.BookingQuerySerializer, *PAGE_PARAMETERS],
        responses={200: paginated(s.BookingSerializer)},
        summary="My bookings (as student or tutor)",
    )
    def get(self, request: Request) -> Response:
        query = s.BookingQuerySerializer(
            data={**request.query_params.dict(), "status": request.query_params.getlist("status")}
        )
        query.is_valid(raise_exception=True)
        rows = selectors.booking_list(
            user=request.user,  # type: ignore[arg-type]
            statuses=sorted(query.validated_data.get("status", [])),
            start_from=query.validated_data.get("start_from"),
            start_to=query.validated_data.get("start_to"),
        )
        return paginated_response(
            request,
            self,
            rows,
            lambda page: s.BookingSerializer(page, many=True, context={"viewer": request.user}).data,
        )

    @extend_schema(
        tags=TAGS,
        request=s.BookingCreateSerializer,
        responses={201: s.BookingSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Retries with the same key return the first response.",
            )
        ],
        summary="Request a lesson (students)",
    )
    def post(self, request: Request) -> Response:
        data = s.BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)

        def create() -> Response:
            values = dict(data.validated_data)
            booking = services.booking_create(student=request.user, tutor_id=values.pop("tutor"), **values)  # type: ignore[arg-type]
            return booking_response(booking, request, status.HTTP_201_CREATED)

        return idempotent(request, "booking.create", create)


class BookingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: s.BookingSerializer})
    def get(self, request: Request, booking_id: int) -> Response:
        booking = selectors.booking_get_for_participant(user=request.user, booking_id=booking_id)  # type: ignore[arg-type]
        return booking_response(booking, request)


class BookingConfirmView(APIView):
    permission_classes = [IsAuthenticated]
    error_statuses = (409,)

    @extend_schema(tags=TAGS, request=None, responses={200: s.BookingSerializer}, summary="Confirm (tutor)")
    def post(self, request: Request, booking_id: int) -> Response:
        return booking_response(services.booking_confirm(booking_id=booking_id, tutor=request.user), request)  # type: ignore[arg-type]


class BookingDeclineView(APIView):
    permission_classes = [IsAuthenticated]
    error_statuses = (409,)

    @extend_schema(
        tags=TAGS, request=s.ReasonSerializer, responses={200: s.BookingSerializer}, summary="Decline (tutor)"
    )
    def post(self, request: Request, booking_id: int) -> Response:
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_decline(
            booking_id=booking_id, tutor=request.user, reason=data.validated_data["reason"]
        )  # type: ignore[arg-type]
        return booking_response(booking, request)


class BookingCancelView(APIView):
    permission_classes = [IsAuthenticated]
    error_statuses = (409,)

    @extend_schema(
        tags=TAGS, request=s.ReasonSerializer, responses={200: s.BookingSerializer}, summary="Cancel (either side)"
    )
    def post(self, request: Request, booking_id: int) -> Response:
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_cancel(
            booking_id=booking_id, user=request.user, reason=data.validated_data["reason"]
        )  # type: ignore[arg-type]
        return booking_response(booking, request)


class BookingRescheduleView(APIView):
    permission_classes = [IsAuthenticated]
    error_statuses = (409,)

    @extend_schema(
        tags=TAGS,
        request=s.RescheduleSerializer,
        responses={200: s.BookingSerializer},
        summary="Move to another free slot",
        description="A confirmed lesson moved by the student goes back to pending; "
        "moved by the tutor it stays confirmed.",
    )
    def post(self, request: Request, booking_id: int) -> Response:
        data = s.RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_reschedule(
            booking_id=booking_id, user=request.user, start=data.validated_data["start"]
        )  # type: ignore[arg-type]
        return booking_response(booking, request)


class BookingReviewView(APIView):
    permission_classes = [IsAuthenticated]
    error_statuses = (409,)

    @extend_schema(
        tags=TAGS,
        request=s.ReviewInputSerializer,
        responses={201: ReviewSerializer},
        summary="Review a completed lesson (student)",
    )
    def post(self, request: Request, booking_id: int) -> Response:
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.lesson_review(booking_id=booking_id, student=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(review_public(review_id=review.pk), status=status.HTTP_201_CREATED)


class BookingIcsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS, responses={(200, "text/calendar"): OpenApiTypes.STR}, summary="The lesson as an .ics file"
    )
    def get(self, request: Request, booking_id: int) -> HttpResponse:
        booking = selectors.booking_get_for_participant(user=request.user, booking_id=booking_id)  # type: ignore[arg-type]
        body = selectors.calendar_for_booking(booking=booking, viewer=request.user, now=timezone.now())  # type: ignore[arg-type]
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="m4sh-lesson-{booking.pk}.ics"'
        return response


class CalendarFeedView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: s.CalendarFeedSerializer}, summary="My private calendar feed URL")
    def get(self, request: Request) -> Response:
        feed = services.calendar_feed_get_or_create(user=request.user)  # type: ignore[arg-type]
        return Response({"url": selectors.calendar_feed_url(feed)})


class CalendarFeedRegenerateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: s.CalendarFeedSerializer},
        summary="New feed URL; the old one stops working",
    )
    def post(self, request: Request) -> Response:
        feed = services.calendar_feed_regenerate(user=request.user)  # type: ignore[arg-type]
        return Response({"url": selectors.calendar_feed_url(feed)})


class BookingClassroomView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={200: s.ClassroomAccessSerializer},
        summary="How to enter the lesson's classroom",
        description="For the two participants only. `token` (a classroom join token for the sockets) is null "
        "outside the join window: from 15 minutes before the start until the end.",
    )
    def get(self, request: Request, booking_id: int) -> Response:
        access = classroom_access(user=request.user, booking_id=booking_id, now=timezone.now())  # type: ignore[arg-type]
        return Response(s.ClassroomAccessSerializer(asdict(access)).data)
