from decimal import Decimal

from django.db import migrations

SUBJECTS = [
    # slug, English, Ukrainian, parent slug
    ("mathematics", "Mathematics", "Математика", None),
    ("algebra", "Algebra", "Алгебра", "mathematics"),
    ("geometry", "Geometry", "Геометрія", "mathematics"),
    ("calculus", "Calculus", "Математичний аналіз", "mathematics"),
    ("statistics", "Statistics", "Статистика", "mathematics"),
    ("languages", "Languages", "Мови", None),
    ("english", "English", "Англійська мова", "languages"),
    ("ukrainian", "Ukrainian", "Українська мова", "languages"),
    ("german", "German", "Німецька мова", "languages"),
    ("polish", "Polish", "Польська мова", "languages"),
    ("spanish", "Spanish", "Іспанська мова", "languages"),
    ("french", "French", "Французька мова", "languages"),
    ("sciences", "Sciences", "Природничі науки", None),
    ("physics", "Physics", "Фізика", "sciences"),
    ("chemistry", "Chemistry", "Хімія", "sciences"),
    ("biology", "Biology", "Біологія", "sciences"),
    ("programming", "Programming", "Програмування", None),
    ("python", "Python", "Python", "programming"),
    ("javascript", "JavaScript", "JavaScript", "programming"),
    ("computer-science", "Computer science", "Інформатика", "programming"),
    ("humanities", "Humanities", "Гуманітарні науки", None),
    ("history", "History", "Історія", "humanities"),
    ("literature", "Literature", "Література", "humanities"),
    ("music", "Music", "Музика", None),
    ("piano", "Piano", "Фортепіано", "music"),
    ("guitar", "Guitar", "Гітара", "music"),
]

RATES = {"EUR": "1", "USD": "1.08", "UAH": "45.50", "GBP": "0.85", "PLN": "4.30"}


def load_catalogue(apps, schema_editor):
    Subject = apps.get_model("marketplace", "Subject")
    ExchangeRate = apps.get_model("marketplace", "ExchangeRate")
    by_slug = {}
    for position, (slug, name_en, name_uk, parent) in enumerate(SUBJECTS):
        by_slug[slug], _ = Subject.objects.update_or_create(
            slug=slug,
            defaults={"name_en": name_en, "name_uk": name_uk, "parent": by_slug.get(parent), "position": position},
        )
    for currency, per_eur in RATES.items():
        ExchangeRate.objects.get_or_create(currency=currency, defaults={"per_eur": Decimal(per_eur)})


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS mkt_tutor_search_gin ON marketplace_tutorprofile USING gin (search_document)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS mkt_tutor_search_gin")


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [
        migrations.RunPython(load_catalogue, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
