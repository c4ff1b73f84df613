"""Load the controlled vocabularies shipped in profiles/vocabularies/ (reference data).

Every database gets the same terms with the same stable slugs. Editors change terms in the
admin afterwards; this migration only adds terms that are missing, so re-running it on a
database whose editors renamed or retired terms changes nothing.
"""

from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

VOCABULARY_DIR = Path(__file__).resolve().parent.parent / "vocabularies"

FILES = {
    "SectoralIndustry": "sectoral_industries.txt",
    "TechnologyField": "technology_fields.txt",
    "S3PriorityArea": "s3_priority_areas.txt",
    "EmergingIndustry": "emerging_industries.txt",
    "IndustrialEcosystem": "industrial_ecosystems.txt",
    "ClusterExcellenceLabel": "cluster_excellence_labels.txt",
    "SupportService": "support_services.txt",
    "CooperationActivity": "cooperation_activities.txt",
}

# British spellings used by European sources for the US-named sectoral industries.
SECTORAL_ALIASES = {
    "Aerospace Vehicles and Defense": "Aerospace Vehicles and Defence",
    "Jewelry and Precious Metals": "Jewellery and Precious Metals",
    "Transportation and Logistics": "Transport and Logistics",
    "Marketing, Design, and Publishing": "Marketing, Design and Publishing",
    "Trailers, Motor Homes, and Appliances": "Trailers, Motor Homes and Appliances",
    "Vulcanized and Fired Materials": "Vulcanised and Fired Materials",
    "Oil and Gas Production and Transportation": "Oil and Gas Production and Transport",
    "Water Transportation": "Water Transport",
    "Distribution and Electronic Commerce": "Distribution and E-commerce",
    "Nonmetal Mining": "Non-metal Mining",
    "Information Technology and Analytical Instruments": "IT and Analytical Instruments",
    "Hospitality and Tourism": "Tourism and Hospitality",
}


def read_terms(filename):
    lines = (VOCABULARY_DIR / filename).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


def load(apps, schema_editor):
    for model_name, filename in FILES.items():
        model = apps.get_model("profiles", model_name)
        for position, name in enumerate(read_terms(filename)):
            model.objects.get_or_create(
                slug=slugify(name)[:200],
                defaults={
                    "name": name,
                    "position": position,
                    "alias": SECTORAL_ALIASES.get(name, "") if model_name == "SectoralIndustry" else "",
                },
            )


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
