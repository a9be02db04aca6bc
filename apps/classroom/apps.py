from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "apps.classroom"
    label = "classroom"
    verbose_name = "Classroom"
