"""The profile fields an import row carries, by how a cell or key is read and applied."""

from profiles.models import (
    EmergingIndustry,
    IndustrialEcosystem,
    S3PriorityArea,
    SectoralIndustry,
    SupportService,
    TechnologyField,
)

VOCABULARIES = {
    "sectoral_industries": SectoralIndustry,
    "technology_fields": TechnologyField,
    "s3_priority_areas": S3PriorityArea,
    "emerging_industries": EmergingIndustry,
    "industrial_ecosystems": IndustrialEcosystem,
    "support_services": SupportService,
}
TEXT_FIELDS = [
    "name", "acronym", "region", "city", "website", "other_label", "network_memberships",
    "strategy", "support_services_details", "why_choose_us",
]
DATE_FIELDS = ["date_established", "excellence_label_awarded", "excellence_label_expires"]
LOCATION_FIELDS = ["latitude", "longitude"]
YES_NO_FIELDS = ["has_formal_strategy", "has_internationalisation_strategy"]
# Printed by the export for readers: the portal computes the address, and offers are
# published by each cluster's staff in the admin, never by an import.
IGNORED = {"url", "cooperation_offers"}
