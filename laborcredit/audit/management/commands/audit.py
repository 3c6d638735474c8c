"""`laborcredit audit verify` and `laborcredit audit checkpoint` (AU3)."""

from __future__ import annotations

from django.core.management.base import CommandError

from laborcredit.audit.chain import ChainBroken, SigningKeyError
from laborcredit.audit.services import audit_checkpoint, audit_verify
from laborcredit.lib.commands import DomainCommand


class Command(DomainCommand):
    help = "审计日志：verify 校验哈希链与检查点，checkpoint 生成签名检查点"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify|checkpoint")
        verify = sub.add_parser(
            "verify", help="重新计算哈希链，核验全部检查点和信用记录哈希；被篡改时退出码为 1"
        )
        verify.add_argument(
            "--checkpoints",
            metavar="文件",
            help="用另一份检查点文件核验（例如异地保存的副本），默认为检查点目录中的 checkpoints.jsonl",
        )
        sub.add_parser("checkpoint", help="校验后用签名密钥签署当前链头，追加到检查点文件")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["action"] == "verify":
            result = audit_verify(checkpoint_path=options.get("checkpoints"))
            if not result.ok:
                lines = [f"审计日志被篡改：{result.problem}"]
                lines += [f"  另：{extra}" for extra in result.problems[1:]]
                raise CommandError("\n".join(lines), returncode=1)
            self.stdout.write(
                f"审计日志完整：共 {result.length} 条，链头哈希 {result.head_hash}，"
                f"已核验 {result.checkpoints} 个检查点"
            )
            return
        try:
            made = audit_checkpoint()
        except ChainBroken as broken:
            raise CommandError(
                f"审计日志被篡改，未生成检查点：{broken.result.problem}", returncode=1
            ) from None
        except SigningKeyError as error:
            raise CommandError(f"无法生成检查点：{error}", returncode=1) from None
        self.stdout.write(
            f"已生成检查点：至第 {made.seq} 条，共 {made.count} 条，链头哈希 {made.head_hash}，"
            f"已追加到 {made.path}"
        )
