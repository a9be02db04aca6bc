from django.urls import path

from bench import reference
from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

urlpatterns = [
    *urlpatterns,
    path("bench/reference/tutors/", reference.tutor_search),
]
