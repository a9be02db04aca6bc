from django.urls import path

from apps.dashboard.api import views

app_name = "dashboard-api"

urlpatterns = [
    path("student/", views.StudentDashboardView.as_view(), name="student"),
    path("student/active-lessons/", views.StudentActiveLessonsView.as_view(), name="student-active-lessons"),
    path("student/teacher/", views.StudentTeacherView.as_view(), name="student-teacher"),
    path("student/stats/", views.StudentStatsView.as_view(), name="student-stats"),
    path("tutor/", views.TutorDashboardView.as_view(), name="tutor"),
    path("tutor/upcoming/", views.TutorUpcomingView.as_view(), name="tutor-upcoming"),
    path("tutor/students/", views.TutorStudentsView.as_view(), name="tutor-students"),
    path("tutor/stats/", views.TutorStatsView.as_view(), name="tutor-stats"),
]
