from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.booking.models import Booking


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Live"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class ClassroomSession(models.Model):
    """The classroom of one confirmed lesson: created once, in the confirm transaction."""

    booking = models.OneToOneField(Booking, related_name="classroom_session", on_delete=models.CASCADE)
    status = models.CharField(max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    student_no_show = models.BooleanField(default=False)
    tutor_no_show = models.BooleanField(default=False)
    five_minute_warning_sent = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["status"], name="cls_session_status")]

    def __str__(self) -> str:
        return f"Classroom {self.pk} of booking {self.booking_id}"


class Attendance(models.Model):
    """One stay of a participant in the classroom (joined, left); several per lesson after reconnects."""

    session = models.ForeignKey(ClassroomSession, related_name="attendance", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    role = models.CharField(max_length=16)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        indexes = [models.Index(fields=["session", "user"], name="cls_attendance_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.session_id} from {self.joined_at}"


class ChatMessage(models.Model):
    session = models.ForeignKey(ClassroomSession, related_name="chat", on_delete=models.CASCADE)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Chat {self.pk} in {self.session_id}"


class BoardUpdate(models.Model):
    """A batch of whiteboard updates (a Yjs update), appended at most 250 ms after it arrived."""

    session = models.ForeignKey(ClassroomSession, related_name="+", on_delete=models.CASCADE)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["session", "created_at"], name="cls_board_log")]

    def __str__(self) -> str:
        return f"Board update {self.pk} of {self.session_id}"


class BoardSnapshot(models.Model):
    """The compacted whiteboard state (a Yjs update encoding the whole document).

    ``version`` counts the replacements: a board server replaces the snapshot only if it is still the
    version it read (compare-and-swap), so two processes folding the same log never drop each other's work.
    """

    session = models.OneToOneField(ClassroomSession, primary_key=True, related_name="+", on_delete=models.CASCADE)
    state = models.BinaryField()
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Board snapshot of {self.session_id}"


class Material(models.Model):
    """A PDF or image the tutor brings to the lesson; PDFs are rendered to one image per page."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        IMAGE = "image", "Image"

    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    session = models.ForeignKey(ClassroomSession, related_name="materials", on_delete=models.CASCADE)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="materials/%Y/%m/")
    size = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class MaterialPage(models.Model):
    material = models.ForeignKey(Material, related_name="pages", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()  # from 1
    image = models.FileField(upload_to="materials/pages/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["material", "number"], name="cls_material_page_unique")]

    def __str__(self) -> str:
        return f"{self.material_id} p.{self.number}"
