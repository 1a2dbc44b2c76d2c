"""The public site's URLs (included last in factcheck/urls.py: they own the site root)."""

from django.urls import path

from public import views
from public.cache import cached_page, site_fingerprint
from public.feeds import ClaimsFeed, CorrectionsFeed
from public.sitemaps import sitemap_index, sitemap_section

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("sources/<int:source_id>/", views.source_detail, name="source"),
    path("corrections/", views.corrections, name="corrections"),
    path("ratings/", views.ratings, name="ratings"),
    path("feeds/claims.atom", cached_page(site_fingerprint)(ClaimsFeed()), name="claims-feed"),
    path("feeds/corrections.atom", cached_page(site_fingerprint)(CorrectionsFeed()),
         name="corrections-feed"),
    path("sitemap.xml", cached_page(site_fingerprint)(sitemap_index), name="sitemap"),
    path("sitemap-<section>.xml", cached_page(site_fingerprint)(sitemap_section),
         name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
