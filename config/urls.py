"""URLs: the clerk UI and portal, the REST API under /api/v1/, OAuth2 tokens, docs, health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from oauth2_provider import views as oauth2_views

from benefits import urls as benefits_urls
from cases import urls as cases_urls
from core import urls as core_urls
from core import views as core_views
from eligibility import urls as eligibility_urls
from registration import urls as registration_urls
from supervision import urls as supervision_urls
from transfers import urls as transfers_urls

admin.site.site_header = "社会保险经办 Social Insurance Handling"
admin.site.site_title = "社保经办 SI Portal"

api_v1 = [
    *core_urls.api_urlpatterns,
    *registration_urls.api_urlpatterns,
    *cases_urls.api_urlpatterns,
    *benefits_urls.api_urlpatterns,
    *eligibility_urls.api_urlpatterns,
    *transfers_urls.api_urlpatterns,
    *supervision_urls.api_urlpatterns,
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("registration/", include("registration.urls")),
    path("cases/", include("cases.urls")),
    path("benefits/", include("benefits.urls")),
    path("eligibility/", include("eligibility.urls")),
    path("transfers/", include("transfers.urls")),
    path("supervision/", include("supervision.urls")),
    path("admin/", admin.site.urls),
    path("o/token/", oauth2_views.TokenView.as_view(), name="oauth2-token"),
    path("o/revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="oauth2-revoke"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("core.urls")),
]
