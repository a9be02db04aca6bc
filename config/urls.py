from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import apps.core.converters  # noqa: F401  (registers the <id:...> converter before the apps' URLconfs load)
from apps.booking.web.views import calendar_feed
from apps.core import views as core_views

handler400 = "apps.core.api.errors.handler400"
handler403 = "apps.core.api.errors.handler403"
handler404 = "apps.core.api.errors.handler404"
handler500 = "apps.core.api.errors.handler500"

api_v1 = [
    path("auth/", include("apps.accounts.urls")),
    path("marketplace/", include("apps.marketplace.urls")),
    path("booking/", include("apps.booking.urls")),
    path("classroom/", include("apps.classroom.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
