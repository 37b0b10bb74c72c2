"""The rows every Goalpost database starts with: the 10 KRAs of seed 004 as competencies, and
the HR group. The data migration creates them; a test whose database was flushed calls the same
function. Models are passed in so the migration can hand over its historical ones."""

from .seeds import responsibility_areas

HR_GROUP_NAME = "HR"


def create_defaults(competency_model, group_model) -> None:
    for area in responsibility_areas():
        competency_model.objects.update_or_create(
            name=area.name,
            defaults={"description": area.description,
                      "short_description": area.short_description,
                      "position": area.number},
        )
    group_model.objects.get_or_create(name=HR_GROUP_NAME)
