from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.classroom.models import Material, MaterialPage
from apps.core.exceptions import NotFoundError


def _visible_to(user: User) -> Q:
    return Q(session__booking__student=user) | Q(session__booking__tutor_id=user.pk)


def material_list(*, session_id: int) -> QuerySet[Material]:
    return Material.objects.filter(session_id=session_id).prefetch_related("pages")


def material_page_for_participant(*, user: User, material_id: int, number: int) -> MaterialPage:
    page = (
        MaterialPage.objects.filter(material_id=material_id, number=number)
        .filter(material__in=Material.objects.filter(_visible_to(user)))
        .first()
    )
    if page is None:
        raise NotFoundError("No such page.", code="material_not_found")
    return page
