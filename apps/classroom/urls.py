from django.urls import path

from apps.classroom.api import views

app_name = "classroom-api"

urlpatterns = [
    path("sessions/<id:session_id>/", views.SessionDetailView.as_view(), name="session"),
    path("sessions/<id:session_id>/board/", views.BoardView.as_view(), name="board"),
    path("sessions/<id:session_id>/chat/", views.ChatView.as_view(), name="chat"),
    path("sessions/<id:session_id>/materials/", views.MaterialListView.as_view(), name="materials"),
    path("materials/<id:material_id>/pages/<small:number>/", views.MaterialPageView.as_view(), name="material-page"),
]
