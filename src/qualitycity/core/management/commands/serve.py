"""`qcity serve`: migrate, load the demo city if the database is empty, then serve.

It also starts a task worker and the periodic-job scheduler beside the web server, so that a
single `make run` behaves like a deployment: deadlines are swept, weekly signals run and
digests go out. `--no-jobs` leaves them to separate processes.
"""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from qualitycity.core.models import Organization


class Command(BaseCommand):
    help = "Migrate, load the demo city into an empty database and start the web server."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-demo", action="store_true", help="never load the demo city")
        parser.add_argument("--no-jobs", action="store_true", help="start no worker or scheduler")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_demo"] and not Organization.objects.exists():
            self.stdout.write("数据库为空：正在生成演示城市（武汉）…")
            call_command("demo")
        else:
            from qualitycity.demo.accounts import print_logins

            print_logins(self.stdout)
        helpers = [] if options["no_jobs"] else [self._start("worker"), self._start("scheduler")]
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
        finally:
            for process in helpers:
                process.terminate()

    def _start(self, command: str) -> subprocess.Popen:
        self.stdout.write(f"后台进程已启动：qcity {command}")
        return subprocess.Popen([sys.executable, "-m", "qualitycity.cli", command])
