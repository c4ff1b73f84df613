"""The admin in its user's language.

The public site takes the language from the address (/es/…), and Django's LocaleMiddleware
gives every unprefixed address, the admin's included, the default language. The admin has one
address for everyone, so here the language is the one the person chose with the switcher in
the admin's header (Django's language cookie, set by `set_language`), else their browser's.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Pages outside /admin/ that belong to it: invitations and password resets.
OTHER_ADMIN_PREFIXES = ("/accounts/",)


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefixes = None

    def __call__(self, request):
        if self._prefixes is None:
            self._prefixes = (reverse("admin:index"), *OTHER_ADMIN_PREFIXES)
        if not request.path_info.startswith(self._prefixes):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers["Content-Language"] = request.LANGUAGE_CODE
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
