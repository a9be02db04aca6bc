"""Marketplace API: thin views over ``apps.marketplace.services`` and ``apps.marketplace.selectors``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.pagination import paginated_response
from apps.core.api.permissions import IsStudent, IsTutor
from apps.core.api.schema_helpers import PAGE_PARAMETERS, paginated
from apps.core.exceptions import NotFoundError
from apps.marketplace import selectors, services
from apps.marketplace.api import serializers as s
from apps.marketplace.models import Level

TAGS = ["marketplace"]
MESSAGES = ["messages"]


class SubjectListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: s.SubjectNodeSerializer(many=True)}, summary="The subject catalogue")
    def get(self, request: Request) -> Response:
        return Response(selectors.subject_tree())


class LevelListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: s.LevelSerializer(many=True)}, summary="Teaching levels")
    def get(self, request: Request) -> Response:
        return Response([{"value": value, "label": label} for value, label in Level.choices])


class TutorSearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        parameters=[s.TutorSearchQuerySerializer, *PAGE_PARAMETERS],
        responses={200: paginated(s.TutorCardSerializer)},
        summary="Search published tutors",
        description="Filters combine with AND. `best_match` ordering is documented in docs/marketplace.md; "
        "with `q` it ranks by text relevance first.",
    )
    def get(self, request: Request) -> Response:
        query = s.TutorSearchQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        rows = selectors.tutor_search(filters=query.filters())
        return paginated_response(request, self, rows, selectors.tutor_cards)


class TutorDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: s.TutorDetailSerializer}, summary="A tutor's public profile")
    def get(self, request: Request, tutor_id: int) -> Response:
        profile = selectors.tutor_profile_visible(tutor_id=tutor_id, viewer=request.user)
        if profile is None:
            raise NotFoundError("No such tutor.", code="tutor_not_found")
        return Response(profile)


class TutorMeView(APIView):
    permission_classes = [IsTutor]

    @extend_schema(tags=TAGS, responses={200: s.TutorDetailSerializer}, summary="My tutor profile")
    def get(self, request: Request) -> Response:
        profile = services.tutor_profile_get_or_create(user=request.user)  # type: ignore[arg-type]
        return Response(selectors.tutor_profile_visible(tutor_id=profile.pk, viewer=request.user))

    @extend_schema(
        tags=TAGS,
        request=s.TutorProfileUpdateSerializer,
        responses={200: s.TutorDetailSerializer},
        summary="Edit my tutor profile",
        description="`subjects` and `languages` replace the lists. `status` moves between draft and published; "
        "publishing needs a headline, a bio, a rate, a subject and a language (400 `profile_incomplete`).",
    )
    def patch(self, request: Request) -> Response:
        data = s.TutorProfileUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.tutor_profile_update(user=request.user, data=dict(data.validated_data))  # type: ignore[arg-type]
        return Response(selectors.tutor_profile_visible(tutor_id=profile.pk, viewer=request.user))


class FavoriteView(APIView):
    permission_classes = [IsStudent]

    @extend_schema(tags=TAGS, request=None, responses={200: s.FavoriteSerializer, 201: s.FavoriteSerializer})
    def post(self, request: Request, tutor_id: int) -> Response:
        favorite, created = services.favorite_add(student=request.user, tutor_id=tutor_id)  # type: ignore[arg-type]
        body = {"tutor": favorite.tutor_id, "created_at": favorite.created_at}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, tutor_id: int) -> Response:
        services.favorite_remove(student=request.user, tutor_id=tutor_id)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class FavoriteListView(APIView):
    permission_classes = [IsStudent]

    @extend_schema(tags=TAGS, parameters=PAGE_PARAMETERS, responses={200: paginated(s.TutorCardSerializer)})
    def get(self, request: Request) -> Response:
        rows = selectors.favorite_tutors(student=request.user)  # type: ignore[arg-type]
        return paginated_response(request, self, rows, selectors.tutor_cards)


class ConversationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=MESSAGES, parameters=PAGE_PARAMETERS, responses={200: paginated(s.ConversationSerializer)})
    def get(self, request: Request) -> Response:
        user = request.user
        rows = selectors.conversation_list(user=user)  # type: ignore[arg-type]
        return paginated_response(
            request,
            self,
            rows,
            lambda page: (
                s.ConversationSerializer([selectors.conversation_summary(c, viewer=user) for c in page], many=True).data
            ),  # type: ignore[arg-type]
        )

    @extend_schema(
        tags=MESSAGES,
        request=s.ConversationStartSerializer,
        responses={200: s.ConversationStartedSerializer, 201: s.ConversationStartedSerializer},
        summary="Write to a tutor (students)",
        description="Opens the conversation with the tutor (201) or adds to the existing one (200).",
    )
    def post(self, request: Request) -> Response:
        data = s.ConversationStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        conversation, message, created = services.conversation_start(
            student=user,  # type: ignore[arg-type]
            tutor_id=data.validated_data["tutor"],
            body=data.validated_data["body"],
        )
        conversation = selectors.conversation_get_for_participant(user=user, conversation_id=conversation.pk)  # type: ignore[arg-type]
        body = {
            "conversation": s.ConversationSerializer(selectors.conversation_summary(conversation, viewer=user)).data,  # type: ignore[arg-type]
            "message": s.MessageSerializer(message).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ConversationDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=MESSAGES, responses={200: s.ConversationSerializer})
    def get(self, request: Request, conversation_id: int) -> Response:
        user = request.user
        conversation = selectors.conversation_get_for_participant(user=user, conversation_id=conversation_id)  # type: ignore[arg-type]
        return Response(s.ConversationSerializer(selectors.conversation_summary(conversation, viewer=user)).data)  # type: ignore[arg-type]


class MessageListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=MESSAGES, parameters=PAGE_PARAMETERS, responses={200: paginated(s.MessageSerializer)})
    def get(self, request: Request, conversation_id: int) -> Response:
        conversation = selectors.conversation_get_for_participant(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        rows = selectors.message_list(conversation=conversation)
        return paginated_response(request, self, rows, lambda page: s.MessageSerializer(page, many=True).data)

    @extend_schema(tags=MESSAGES, request=s.MessageInputSerializer, responses={201: s.MessageSerializer})
    def post(self, request: Request, conversation_id: int) -> Response:
        conversation = selectors.conversation_get_for_participant(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        data = s.MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_send(
            conversation=conversation, sender=request.user, body=data.validated_data["body"]
        )  # type: ignore[arg-type]
        return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ConversationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=MESSAGES, request=None, responses={200: s.MarkedReadSerializer}, summary="Mark as read")
    def post(self, request: Request, conversation_id: int) -> Response:
        conversation = selectors.conversation_get_for_participant(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        return Response({"marked": services.conversation_mark_read(conversation=conversation, reader=request.user)})  # type: ignore[arg-type]


class UnreadCountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=MESSAGES, responses={200: s.UnreadSerializer}, summary="Unread messages in all conversations")
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_total(user=request.user)})  # type: ignore[arg-type]


class TutorReviewsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, parameters=PAGE_PARAMETERS, responses={200: paginated(s.ReviewSerializer)})
    def get(self, request: Request, tutor_id: int) -> Response:
        if not selectors.tutor_published_exists(tutor_id=tutor_id):
            raise NotFoundError("No such tutor.", code="tutor_not_found")
        return paginated_response(request, self, selectors.tutor_reviews(tutor_id=tutor_id), selectors.review_rows)


class ReviewDetailView(APIView):
    permission_classes = [IsStudent]
    error_statuses = (409,)

    @extend_schema(
        tags=TAGS,
        request=s.ReviewUpdateSerializer,
        responses={200: s.ReviewSerializer},
        summary="Edit my review (14 days)",
    )
    def patch(self, request: Request, review_id: int) -> Response:
        data = s.ReviewUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_update(review_id=review_id, student=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(selectors.review_public(review_id=review.pk))


class ReviewReplyView(APIView):
    permission_classes = [IsTutor]
    error_statuses = (409,)

    @extend_schema(
        tags=TAGS,
        request=s.ReviewReplySerializer,
        responses={200: s.ReviewSerializer},
        summary="Reply to a review (once)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        data = s.ReviewReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_reply(review_id=review_id, tutor=request.user, text=data.validated_data["text"])  # type: ignore[arg-type]
        return Response(selectors.review_public(review_id=review.pk))
