"""`qcity audit verify`: walk the hash chain and report the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from qualitycity.core.services.audit import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `verify` checks the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(f"审计链校验失败：{result.problem}（已校验 {result.checked} 条）")
        self.stdout.write(f"审计链完整：{result.checked} 条事件均校验通过")
