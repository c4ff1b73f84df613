"""What the portal records about its own operation: the backups it has made."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Backup(models.Model):
    """One successful `manage.py backup_portal`, written once the archive is whole.

    The metrics (cluster_portal/metrics.py) report the age of the newest one, on every app
    server, whichever machine made it.
    """

    finished = models.DateTimeField(_("finished at"), db_index=True)
    file_name = models.CharField(_("archive"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    seconds = models.FloatField(_("seconds taken"))

    class Meta:
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        ordering = ["-finished"]
        get_latest_by = "finished"

    def __str__(self):
        return self.file_name
