from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

import apps.core.converters  # noqa: F401  (registers the <id:...> converter before the apps' URLconfs load)
from apps.booking.web import views as booking_web
from apps.classroom.web import views as classroom_web
from apps.core import views as core_views
from apps.core import web as core_web
from apps.dashboard.web import views as dashboard_web
from apps.marketplace.web import views as marketplace_web

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

web = (
    [
        path("", core_web.home, name="home"),
        path("login/", core_web.LoginView.as_view(), name="login"),
        path("logout/", core_web.LogoutView.as_view(), name="logout"),
        path("dashboard/", dashboard_web.dashboard, name="dashboard"),
        path("tutors/", marketplace_web.tutors, name="tutors"),
        path("tutors/<id:tutor_id>/", marketplace_web.tutor, name="tutor"),
        path("tutors/<id:tutor_id>/request/", booking_web.booking_request, name="request"),
        path("lessons/", booking_web.lessons, name="lessons"),
        path("lessons/<id:booking_id>/confirm/", booking_web.booking_action, {"action": "confirm"}, name="confirm"),
        path("lessons/<id:booking_id>/decline/", booking_web.booking_action, {"action": "decline"}, name="decline"),
        path("lessons/<id:booking_id>/cancel/", booking_web.booking_action, {"action": "cancel"}, name="cancel"),
        path("classroom/<id:session_id>/", classroom_web.classroom, name="classroom"),
        path("calendar/<str:token>.ics", booking_web.calendar_feed, name="calendar-feed"),
    ],
    "web",
)

urlpatterns = [
    path("", include(web)),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
