"""The student-tutor relation: created when their first lesson is confirmed (by the booking services)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.core.exceptions import NotFoundError
from apps.marketplace.models import TutorStudent


def tutor_student_link(*, tutor_id: int, student_id: int, confirmed_at: datetime) -> TutorStudent:
    """Record that the pair had a lesson confirmed (idempotent).

    The first tutor a student is linked to becomes their assigned tutor.
    """
    link = TutorStudent.objects.filter(tutor_id=tutor_id, student_id=student_id).first()
    if link is not None:
        return link
    has_assigned = TutorStudent.objects.filter(student_id=student_id, is_assigned=True).exists()
    try:
        with transaction.atomic():
            return TutorStudent.objects.create(
                tutor_id=tutor_id, student_id=student_id, first_confirmed_at=confirmed_at, is_assigned=not has_assigned
            )
    except IntegrityError:
        return TutorStudent.objects.get(tutor_id=tutor_id, student_id=student_id)


@transaction.atomic
def assigned_tutor_set(*, student: User, tutor_id: int) -> TutorStudent:
    """Make one of the student's tutors their assigned tutor."""
    links = TutorStudent.objects.select_for_update().filter(student=student)
    target = next((link for link in links if link.tutor_id == tutor_id), None)
    if target is None:
        raise NotFoundError("You have no confirmed lesson with this tutor.", code="tutor_not_linked")
    links.exclude(pk=target.pk).filter(is_assigned=True).update(is_assigned=False)
    if not target.is_assigned:
        target.is_assigned = True
        target.save(update_fields=["is_assigned"])
    return target
