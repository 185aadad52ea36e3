"""`sobrindustrie deliverables build --programme SLUG --out DIR`: the whole pack from the command line.

It takes the same lock as a build asked for in the browser (one build at a time per programme), runs
in this process, writes the zip into DIR and unpacks it next to it, and prints what is missing.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.deliverables.catalogue import BY_CODE
from sobrindustrie.deliverables.enums import BuildStatus
from sobrindustrie.deliverables.services import PackBusy, request_pack, run_pack
from sobrindustrie.programmes.models import Programme


class Command(BaseCommand):
    help = "Build a programme's deliverables (the whole pack, or some codes) into a directory."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser(
            "build", help="generate the deliverables and write the zip with its table of contents"
        )
        build.add_argument("--programme", required=True, help="the programme's short name (slug)")
        build.add_argument(
            "--out", required=True, type=Path, help="directory to write into (created if needed)"
        )
        build.add_argument(
            "--only", nargs="+", metavar="CODE", help="only these deliverables, e.g. L1.3 L2.2"
        )
        build.add_argument("--language", default="fr", choices=["fr", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["programme"]
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            known = ", ".join(Programme.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"no programme {slug!r} (known: {known})")
        only = options["only"]
        if only:
            unknown = [code for code in only if code not in BY_CODE]
            if unknown:
                raise CommandError(
                    f"unknown deliverable codes: {', '.join(unknown)} (known: {', '.join(BY_CODE)})"
                )
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        try:
            build = request_pack(programme, None)
        except PackBusy as busy:
            raise CommandError(
                f"a build of {slug} is already {busy.build.status} (requested {busy.build.created_at:%Y-%m-%d %H:%M}); "
                "wait for it to finish"
            ) from None
        started = time.perf_counter()
        build = run_pack(build.pk, language=options["language"], only=only)
        elapsed = time.perf_counter() - started
        if build.status != BuildStatus.DONE:
            raise CommandError(f"the build failed: {build.error}")
        target = out / f"{slug}-livrables-{build.finished_at:%Y-%m-%d}.zip"
        with build.file.open("rb") as source:
            data = source.read()
        target.write_bytes(data)
        with zipfile.ZipFile(target) as archive:
            archive.extractall(out)
        produced = sum(len(entry["files"]) for entry in build.contents)
        self.stdout.write(f"{target} ({len(data) / 1024:.0f} kB, {produced} files) in {elapsed:.1f} s")
        for entry in build.contents:
            if entry.get("failed"):
                self.stderr.write(f"  {entry['code']}: FAILED — {entry['failed']}")
            elif entry["missing"]:
                self.stdout.write(f"  {entry['code']}: not produced — {'; '.join(entry['missing'])}")
        failed = [entry["code"] for entry in build.contents if entry.get("failed")]
        if failed:
            raise CommandError(f"generation failed for {', '.join(failed)} (the other files are written)")
