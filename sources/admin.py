from django.contrib import admin

from sources.models import Outlet, Person, Quote, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    search_fields = ["title", "url"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    search_fields = ["text", "speaker__name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ["name", "aliases"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    search_fields = ["name", "domain"]
