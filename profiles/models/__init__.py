"""The profiles' models, one module per subject; import them from `profiles.models`."""

from .cluster import RICH_TEXT_HELP, TERM_RELATIONS, Cluster, YesNo
from .contacts import Contact
from .editors import EDITORS_GROUP, is_editor
from .querysets import ClusterManager, ClusterQuerySet
from .tabs import ProfilePart, ProfilePartQuerySet
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
