from django.urls import path

from editorial import registration

app_name = "editorial"

urlpatterns = [
    path("", registration.register, name="register"),
    path("privacy/", registration.privacy_notice, name="privacy-notice"),
    path("confirm/<str:token>/", registration.confirm_registration, name="register-confirm"),
    path("claim/<slug:slug>/", registration.claim, name="claim"),
    path("claim/confirm/<str:token>/", registration.confirm_claim, name="claim-confirm"),
    path("confirmed/<str:kind>/", registration.request_confirmed, name="request-confirmed"),
]
