"""Messages between a student and a tutor, before and after booking."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.exceptions import InvalidInputError, NotFoundError, PermissionDeniedError
from apps.marketplace.masking import mask_contacts
from apps.marketplace.models import Conversation, Message, TutorResponse, TutorStudent
from apps.marketplace.selectors.tutors import tutor_published_exists
from apps.marketplace.services.stats import tutor_response_close, tutor_response_open

MAX_BODY = 4000


@transaction.atomic
def conversation_start(*, student: User, tutor_id: int, body: str) -> tuple[Conversation, Message, bool]:
    """Write to a tutor: opens the pair's conversation (once) and sends the message.

    Returns the conversation, the message and whether the conversation is new.
    """
    if not student.is_student:
        raise PermissionDeniedError("Only students start conversations with tutors.", code="not_a_student")
    linked = TutorStudent.objects.filter(tutor_id=tutor_id, student=student).exists()
    if not linked and not tutor_published_exists(tutor_id=tutor_id):
        raise NotFoundError("No such tutor.", code="tutor_not_found")
    conversation, created = Conversation.objects.select_for_update().get_or_create(
        student=student, tutor_id=tutor_id, defaults={"last_message_at": timezone.now()}
    )
    message = message_send(conversation=conversation, sender=student, body=body)
    if created:
        tutor_response_open(
            tutor_id=tutor_id, kind=TutorResponse.Kind.MESSAGE, ref_id=conversation.pk, asked_at=message.created_at
        )
    return conversation, message, created


@transaction.atomic
def message_send(*, conversation: Conversation, sender: User, body: str) -> Message:
    """Send a message in a conversation the sender takes part in.

    Until the pair has had a lesson confirmed, contact details are replaced before the message is stored.
    """
    if sender.pk not in (conversation.student_id, conversation.tutor_id):
        raise NotFoundError("No such conversation.", code="conversation_not_found")
    body = body.strip()
    if not body:
        raise InvalidInputError.for_field("body", "A message cannot be empty.", code="blank")
    if len(body) > MAX_BODY:
        raise InvalidInputError.for_field("body", f"At most {MAX_BODY} characters.", code="max_length")
    masked = False
    if not TutorStudent.objects.filter(tutor_id=conversation.tutor_id, student_id=conversation.student_id).exists():
        body, masked = mask_contacts(body)
    message = Message.objects.create(conversation=conversation, sender=sender, body=body, masked=masked)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    conversation.last_message_at = message.created_at
    if sender.pk == conversation.tutor_id:
        tutor_response_close(kind=TutorResponse.Kind.MESSAGE, ref_id=conversation.pk, answered_at=message.created_at)
    return message


def conversation_mark_read(*, conversation: Conversation, reader: User) -> int:
    """Mark every message the other participant sent as read; returns how many were unread."""
    if reader.pk not in (conversation.student_id, conversation.tutor_id):
        raise NotFoundError("No such conversation.", code="conversation_not_found")
    return (
        Message.objects.filter(conversation=conversation, read_at__isnull=True)
        .exclude(sender=reader)
        .update(read_at=timezone.now())
    )
