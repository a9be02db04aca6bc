from django.urls import path

from apps.marketplace.api import views

app_name = "marketplace-api"

urlpatterns = [
    path("subjects/", views.SubjectListView.as_view(), name="subjects"),
    path("levels/", views.LevelListView.as_view(), name="levels"),
    path("tutors/", views.TutorSearchView.as_view(), name="tutor-search"),
    path("tutors/me/", views.TutorMeView.as_view(), name="tutor-me"),
    path("tutors/<id:tutor_id>/", views.TutorDetailView.as_view(), name="tutor-detail"),
    path("tutors/<id:tutor_id>/favorite/", views.FavoriteView.as_view(), name="tutor-favorite"),
    path("tutors/<id:tutor_id>/reviews/", views.TutorReviewsView.as_view(), name="tutor-reviews"),
    path("reviews/<id:review_id>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/<id:review_id>/reply/", views.ReviewReplyView.as_view(), name="review-reply"),
    path("favorites/", views.FavoriteListView.as_view(), name="favorites"),
    path("conversations/", views.ConversationListView.as_view(), name="conversations"),
    path("conversations/unread/", views.UnreadCountView.as_view(), name="conversations-unread"),
    path("conversations/<id:conversation_id>/", views.ConversationDetailView.as_view(), name="conversation-detail"),
    path("conversations/<id:conversation_id>/messages/", views.MessageListView.as_view(), name="conversation-messages"),
    path("conversations/<id:conversation_id>/read/", views.ConversationReadView.as_view(), name="conversation-read"),
]
