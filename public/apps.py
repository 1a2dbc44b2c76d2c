from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public site"

    def ready(self) -> None:
        # The lower layer asks "do public pages show this person/outlet?" before a rename
        # (sources.services.register_public_use); the public site, which knows, answers.
        from public.selectors import shows_outlet, shows_person
        from sources.models import Outlet, Person
        from sources.services import register_public_use

        register_public_use(Person, shows_person)
        register_public_use(Outlet, shows_outlet)
