from django.urls import path

from apps.booking.api import views

app_name = "booking-api"

urlpatterns = [
    path("availability/", views.AvailabilityView.as_view(), name="availability"),
    path("availability/overrides/", views.OverrideListView.as_view(), name="overrides"),
    path("availability/overrides/<id:override_id>/", views.OverrideDetailView.as_view(), name="override-detail"),
    path("tutors/<id:tutor_id>/slots/", views.SlotsView.as_view(), name="slots"),
    path("bookings/", views.BookingListView.as_view(), name="bookings"),
    path("bookings/<id:booking_id>/", views.BookingDetailView.as_view(), name="booking-detail"),
    path("bookings/<id:booking_id>/confirm/", views.BookingConfirmView.as_view(), name="booking-confirm"),
    path("bookings/<id:booking_id>/decline/", views.BookingDeclineView.as_view(), name="booking-decline"),
    path("bookings/<id:booking_id>/cancel/", views.BookingCancelView.as_view(), name="booking-cancel"),
    path("bookings/<id:booking_id>/reschedule/", views.BookingRescheduleView.as_view(), name="booking-reschedule"),
    path("bookings/<id:booking_id>/review/", views.BookingReviewView.as_view(), name="booking-review"),
    path("bookings/<id:booking_id>/ics/", views.BookingIcsView.as_view(), name="booking-ics"),
    path("bookings/<id:booking_id>/classroom/", views.BookingClassroomView.as_view(), name="booking-classroom"),
    path("calendar/", views.CalendarFeedView.as_view(), name="calendar"),
    path("calendar/regenerate/", views.CalendarFeedRegenerateView.as_view(), name="calendar-regenerate"),
]
