"""The profiles' models, one module per subject; import them from `profiles.models`."""

from .cluster import (
    EDITORS_GROUP,
    RICH_TEXT_HELP,
    TERM_RELATIONS,
    Cluster,
    ClusterManager,
    ClusterQuerySet,
    Contact,
    ProfilePart,
    ProfilePartQuerySet,
    YesNo,
    is_editor,
)
from .vocabularies import (
    ENGLISH,
    ClusterExcellenceLabel,
    CooperationActivity,
    EmergingIndustry,
    IndustrialEcosystem,
    S3PriorityArea,
    SectoralIndustry,
    SupportService,
    TechnologyField,
    Term,
    TermManager,
    TermQuerySet,
)

__all__ = [
    "EDITORS_GROUP", "ENGLISH", "RICH_TEXT_HELP", "TERM_RELATIONS", "Cluster",
    "ClusterExcellenceLabel", "ClusterManager", "ClusterQuerySet", "Contact",
    "CooperationActivity", "EmergingIndustry", "IndustrialEcosystem", "ProfilePart",
    "ProfilePartQuerySet", "S3PriorityArea", "SectoralIndustry", "SupportService",
    "TechnologyField", "Term", "TermManager", "TermQuerySet", "YesNo", "is_editor",
]
