"""URL map: the API (every /api/v1/ route is in factcheck/api_urls.py), its schema and docs, the
admin, and the public pages. HTML error pages are chosen in settings (``HTML_ERROR_HANDLERS``)."""

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("api/v1/", include("factcheck.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The template gives Swagger UI's inline style and start-up script the CSP nonce.
    path("api/docs/", SpectacularSwaggerView.as_view(
        url_name="api-schema", template_name="drf_spectacular/swagger_ui_csp.html"), name="api-docs"),
    # Google's Fact Check Tools API at the paths Google's client library calls (factchecktools/)
    path("v1alpha1/", include("factchecktools.urls")),
    path("admin/", admin.site.urls),
    # The language switch (POST language=en|es, next=the page): Django's set_language sets the
    # language cookie. Without a CSRF check: public pages come from the shared page cache and carry
    # no token, and choosing a language for someone else changes nothing but their reading language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # --- public pages (last: they own the site root) ----------------------------------------------
    path("", include("public.urls")),
]

# JSON errors under /api/, the HTML pages of settings.HTML_ERROR_HANDLERS elsewhere.
handler400 = "factcheck.api.errors_views.dispatch_400"
handler404 = "factcheck.api.errors_views.dispatch_404"
handler500 = "factcheck.api.errors_views.dispatch_500"
