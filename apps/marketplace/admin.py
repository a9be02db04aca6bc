from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.marketplace import services
from apps.marketplace.models import ExchangeRate, Subject, TutorProfile, TutorStatus
from apps.marketplace.selectors.catalogue import catalogue_cache_clear


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_uk", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["slug", "name_en", "name_uk"]

    def save_model(self, request: HttpRequest, obj: Subject, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        catalogue_cache_clear()


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "per_eur", "updated_at"]

    def save_model(self, request: HttpRequest, obj: ExchangeRate, form: Any, change: bool) -> None:
        services.exchange_rate_set(currency=obj.currency, per_eur=obj.per_eur)


@admin.register(TutorProfile)
class TutorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "status", "hourly_rate", "currency", "rating_avg", "lessons_completed"]
    list_filter = ["status", "currency", "accepting_students"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "headline"]
    actions = ["suspend", "lift_suspension"]

    def get_readonly_fields(self, request: HttpRequest, obj: TutorProfile | None = None) -> list[str]:
        # The tutor edits the profile through the API; staff moderate it with the actions below.
        return [field.name for field in TutorProfile._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Suspend (hide from search and profile pages)")
    def suspend(self, request: HttpRequest, queryset: QuerySet[TutorProfile]) -> None:
        for profile in queryset:
            services.tutor_profile_moderate(profile=profile, status=TutorStatus.SUSPENDED)
        self.message_user(request, f"Suspended {queryset.count()} profiles.", messages.SUCCESS)

    @admin.action(description="Lift suspension (back to draft)")
    def lift_suspension(self, request: HttpRequest, queryset: QuerySet[TutorProfile]) -> None:
        for profile in queryset.filter(status=TutorStatus.SUSPENDED):
            services.tutor_profile_moderate(profile=profile, status=TutorStatus.DRAFT)
        self.message_user(request, "Suspensions lifted.", messages.SUCCESS)
