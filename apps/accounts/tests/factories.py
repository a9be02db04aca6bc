from __future__ import annotations

import factory

from apps.accounts.models import Role, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.STUDENT
    timezone = "Europe/Kyiv"
    locale = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        student = factory.Trait(role=Role.STUDENT)
        tutor = factory.Trait(role=Role.TUTOR)
        staff = factory.Trait(is_staff=True)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
