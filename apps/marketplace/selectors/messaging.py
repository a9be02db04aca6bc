from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from apps.accounts.models import User
from apps.core.exceptions import NotFoundError
from apps.marketplace.models import Conversation, Message
from apps.marketplace.selectors.tutors import display_name


def _participant_filter(user: User) -> Q:
    return Q(student=user) | Q(tutor_id=user.pk)


def conversation_list(*, user: User) -> QuerySet[Conversation]:
    """The user's conversations, most recent first, with unread count and last message (no N+1)."""
    latest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Conversation.objects.filter(_participant_filter(user))
        .select_related("student", "tutor__user")
        .annotate(
            unread=Count("messages", filter=Q(messages__read_at__isnull=True) & ~Q(messages__sender=user)),
            last_body=Subquery(latest.values("body")[:1]),
            last_sender_id=Subquery(latest.values("sender_id")[:1]),
        )
        .order_by("-last_message_at", "-pk")
    )


def conversation_get_for_participant(*, user: User, conversation_id: int) -> Conversation:
    """The conversation, if ``user`` takes part in it; a 404 for anyone else."""
    conversation = conversation_list(user=user).filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFoundError("No such conversation.", code="conversation_not_found")
    return conversation


def message_list(*, conversation: Conversation) -> QuerySet[Message]:
    return Message.objects.filter(conversation=conversation).order_by("-created_at", "-pk")


def unread_total(*, user: User) -> int:
    return (
        Message.objects.filter(Q(conversation__student=user) | Q(conversation__tutor_id=user.pk), read_at__isnull=True)
        .exclude(sender=user)
        .count()
    )


def conversation_summary(conversation: Conversation, *, viewer: User) -> dict[str, Any]:
    """The conversation as its participant ``viewer`` sees it (the other side's public name)."""
    other, other_role = (
        (conversation.tutor.user, "tutor")
        if viewer.pk == conversation.student_id
        else (conversation.student, "student")
    )
    return {
        "id": conversation.pk,
        "tutor": conversation.tutor_id,
        "student": conversation.student_id,
        "other": {"id": other.pk, "name": display_name(other.first_name, other.last_name), "role": other_role},
        "last_message": getattr(conversation, "last_body", None),
        "last_message_from_me": getattr(conversation, "last_sender_id", None) == viewer.pk,
        "last_message_at": conversation.last_message_at,
        "unread": getattr(conversation, "unread", 0),
        "created_at": conversation.created_at,
    }
