"""factory_boy factories for every model. Use the services for workflow state, not these."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from claims.models import Claim, Evidence, Rating, Topic
from sources.models import Outlet, Person, Quote, Source
from sources.text import sha256_hex


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=name) for name in extracted])
        if create:
            self.save()  # also persists the password set above (users without groups need it too)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("domain",)

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")
    language = "en"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    title = "Spokesperson"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")
    outlet = factory.SubFactory(OutletFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    language = "en"
    content = "The minister said \"taxes will fall next year\" at a press conference."
    content_sha256 = factory.LazyAttribute(lambda s: sha256_hex(s.content))
    retrieved_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class QuoteFactory(factory.django.DjangoModelFactory):
    """A quote anchored in its source (the source's text is built around it)."""

    class Meta:
        model = Quote

    speaker = factory.SubFactory(PersonFactory)
    text = factory.Sequence(lambda n: f"We will build {n} bridges")
    source = factory.LazyAttribute(
        lambda q: SourceFactory(content=f'The mayor said "{q.text}" on Monday.')
    )
    exact = factory.SelfAttribute("text")
    start = factory.LazyAttribute(lambda q: q.source.content.index(q.text))
    end = factory.LazyAttribute(lambda q: q.start + len(q.text))
    prefix = factory.LazyAttribute(lambda q: q.source.content[max(0, q.start - 32):q.start])
    suffix = factory.LazyAttribute(lambda q: q.source.content[q.end:q.end + 32])
    anchor_status = Quote.AnchorStatus.ANCHORED


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


def rating(slug: str = "false") -> Rating:
    return Rating.objects.get(slug=slug)


class ClaimFactory(factory.django.DjangoModelFactory):
    """A draft claim. Move it through the workflow with ``claims.services`` (or the helpers in
    ``tests/conftest.py``), so states are always reached legally."""

    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Unemployment fell by {n} percent last year.")
    slug = factory.Sequence(lambda n: f"claim-{n}")
    claimant = factory.SubFactory(PersonFactory)
    claim_date = dt.date(2025, 5, 3)
    language = "en"
    author = factory.SubFactory(UserFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    relation = Evidence.Relation.APPEARANCE
