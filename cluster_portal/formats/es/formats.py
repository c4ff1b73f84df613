# Django's Spanish formats, with the same typed dates as English (cluster_portal/formats/en):
# the admin and the import accept the same input whichever language the person reads.
from django.conf.locale.es.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
]
