from __future__ import annotations

import factory

from sobrindustrie.documents.models import Document, DocumentVersion, Post, ShowcasePage
from tests.documents.files import PDF


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Document {n}")
    category = "resource"


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    file = factory.django.FileField(filename="v.pdf", data=PDF)
    original_name = "rapport.pdf"
    file_kind = "pdf"
    size = len(PDF)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Actualité {n}")
    body = "Le premier atelier s'est tenu à Aix."


class ShowcaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShowcasePage

    slug = factory.Sequence(lambda n: f"projet-{n}")
    title = "Découpe laser partagée"
    title_en = "Shared laser cutting"
    solution = "pooling"
    summary = "Trois PME partagent une découpe laser."
    summary_en = "Three SMEs share a laser cutter."
    key_results = "2 achats évités\n30 % d'énergie en moins"
    key_results_en = "2 purchases avoided\n30% less energy"
