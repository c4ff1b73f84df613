from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PersonalDataConfig(AppConfig):
    name = "personaldata"
    verbose_name = _("Personal data")

    def ready(self):
        # Each app says what it holds about people in its own `personal_data.py`.
        autodiscover_modules("personal_data")
