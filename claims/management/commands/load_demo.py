from django.core.management.base import BaseCommand

from claims.demo import DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo newsroom (the Voz.us article, its people, quotes and claims). Idempotent."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: {claims} claims, {quotes} quotes, {people} people.".format(**counts)
            )
        )
        self.stdout.write("Demo logins (username / password): " + ", ".join(
            f"{username} / {password}" for username, password, _, _ in DEMO_USERS
        ))
