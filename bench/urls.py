"""The app's URL map with the floors mounted beside it under /bench/floor/."""

from django.urls import path

from bench import floors
from factcheck import urls as app_urls

urlpatterns = [
    path("bench/floor/claims/", floors.claim_list_floor, name="bench-floor-claim-list"),
    path("bench/floor/claims/<int:pk>/", floors.claim_detail_floor, name="bench-floor-claim-detail"),
    *app_urls.urlpatterns,
]

handler404 = getattr(app_urls, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(app_urls, "handler500", "django.views.defaults.server_error")
