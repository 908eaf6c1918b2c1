import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from apps.sources import services


class Command(BaseCommand):
    help = (
        "Read the text of uploaded source documents that wait for it (text pending). Each "
        "document is parsed in a child process within DOCUMENT_TEXT_TIMEOUT seconds and "
        "DOCUMENT_TEXT_MAX_CHARS characters, so one crafted file cannot hold up the rest. "
        "Run it from cron or a systemd timer, or keep it running with --every."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running: look for pending documents again every SECONDS.",
        )
        parser.add_argument("--limit", type=int, help="Read at most this many documents per pass.")
        parser.add_argument(
            "--source",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="Read this source's document again, whatever its status (repeatable).",
        )

    def handle(self, *args, every=None, limit=None, source=(), **options):
        if source:
            services.queue_again(source)
        while True:
            self.run_once(limit)
            if every is None:
                return
            time.sleep(every)
            close_old_connections()

    def run_once(self, limit):
        for source in services.pending_documents(limit=limit):
            status = services.read_document_text(source)
            if status is None:
                self.stdout.write(f"Source {source.pk}: its document changed; read it later.")
            else:
                self.stdout.write(f"Source {source.pk}: {status.label}.")
