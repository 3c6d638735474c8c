"""The `laborcredit` command: the domain commands, and Django's management commands.

`laborcredit rate` needs no database and does not start Django. Every other
command is passed to Django (`laborcredit migrate`, `laborcredit runserver` …).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from typing import TextIO

from laborcredit.lib.argparse_zh import ChineseArgumentParser

USAGE = """\
用法：laborcredit <命令> [参数]

舞钢市用人单位劳动保障信用分级分类监管系统（舞人社〔2022〕127号）

评价（不需要数据库）：
  rate --as-of YYYY-MM-DD 文件    按《办法》第八条至第十三条、第二十一条评价 JSON 文件中的用人单位
                                  （文件为 - 时读标准输入）

信用档案与等级（第五条至第七条、第十三条）：
  import employers|records 文件   从 Excel（.xlsx）或 CSV 导入单位或信用记录（有错则全部不导入）
  import template employers|records  下载导入模板
  export employers|records|grades    导出为 .xlsx 或 CSV
  demo-data                       生成舞钢市演示数据
  regrade --due                   按时间推移重新评价到期的单位（建议每天运行）
  evaluate --as-of YYYY-MM-DD     年度评价，生成待批准的评价结果
  runs list|show|approve|decide   查看、批准年度评价，人工认定
  audit verify|checkpoint         核验审计日志、签发检查点

信用评价结果应用（第十四条至第十七条）：
  inspections draw|show|verify|publish|export  日常巡视检查计划（双随机抽取，可按种子复核）
  measures joint-punishment       导出联合惩戒名单（xlsx、CSV、JSON）

权益保护（第十八条至第二十一条）：
  objections overdue              列出逾期未办结的异议（有逾期时退出码为 1）
  repair due [--as-of 日期]       列出信用修复待调整、即将期满、待补充证据的单位
  portal account 统一社会信用代码  为用人单位开通门户账号并给出一次性激活码

报表（第六条）：
  reports superior --period month|quarter|year --year 年 [--number 期] -o 文件.xlsx|.pdf
                                  向上级主管部门报送的报表（单位与等级、变动、异议、修复、推送）
  reports credit 统一社会信用代码 -o 文件.pdf  出具用人单位信用报告（带验证码）
  push [--once] [--to-file 目录]  将推送队列发送至市信用信息共享平台（第六条、第二十条；供定时任务调用）
  worker                          持续发送推送队列（平台或数据库中断后自动重试）

系统：
  workdays add 日期 N             第 N 个工作日（不含当日，计调休、法定节假日）；show|arrangement 查看、录入节假日安排
  apikeys create|list|revoke      其他部门系统的接口密钥（第六条）：新建（完整密钥只显示一次）、列出、吊销
  migrate                         建立或升级数据库
  bootstrap                       创建首个管理员
  serve                           启动 Web 服务

各命令的参数：laborcredit <命令> --help
"""


def rate_main(argv: list[str]) -> int:
    from laborcredit.rate import RateInputError, parse_as_of, problem_lines, rate_document
    from laborcredit.rules.parameters import PROVINCIAL_POLICIES

    parser = ChineseArgumentParser(
        prog="laborcredit rate",
        description=(
            "按《舞钢市用人单位劳动保障信用分级分类监管办法》评价用人单位的劳动保障信用等级。\n"
            "输入、输出均为 JSON，格式见 shared/spec/grading.md；不读写数据库。"
        ),
    )
    parser.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="评价日期")
    parser.add_argument(
        "--provincial-policy",
        choices=PROVINCIAL_POLICIES,
        default=os.environ.get("LABORCREDIT_PROVINCIAL_POLICY") or None,
        help="第八条 河南省公共信用综合评价结果的运用方式：flag 提示复核（默认），cap 封顶为B级；"
        "也可用环境变量 LABORCREDIT_PROVINCIAL_POLICY 设置",
    )
    parser.add_argument("file", metavar="文件", help="JSON 文件路径，- 表示标准输入")
    args = parser.parse_args(argv)
    if args.provincial_policy not in (None, *PROVINCIAL_POLICIES):
        parser.error(f"LABORCREDIT_PROVINCIAL_POLICY 的取值 {args.provincial_policy} 无效")

    # A city's file is millions of objects and no reference cycles: the cyclic
    # collector would only scan them over and over (a quarter of the run time at
    # 100,000 employers, benchmarks/rate.py).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            as_of = parse_as_of(args.as_of)
            raw = _read_input(args.file)
            answer = rate_document(raw, as_of, provincial_policy=args.provincial_policy)
        except RateInputError as error:
            sys.stderr.write("\n".join(problem_lines(error.problems)) + "\n")
            return 2
        try:
            write_answer(answer, sys.stdout)
        except BrokenPipeError:
            # The reader went away (`… | head`): not an error of ours.
            sys.stderr.close()
        return 0
    finally:
        if gc_was_enabled:
            gc.enable()


def write_answer(answer: dict, out: TextIO) -> None:
    """The answer as JSON, one result a line: readable, greppable, and fast to write.

    Written whole and in UTF-8 whatever the locale (RFC 8259 §8.1), so a GBK
    terminal neither garbles it nor cuts it short.
    """
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    results = ",".join(f"\n  {dumps(r)}" for r in answer["results"])
    text = f'{{"as_of": {dumps(answer["as_of"])},\n "results": [{results}\n]}}\n'
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(text)
        out.flush()
        return
    out.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _read_input(path: str) -> bytes:
    from laborcredit.rate import RateInputError
    from laborcredit.rules.validation import Problem

    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        reason = "文件不存在"
    except IsADirectoryError:
        reason = "这是一个目录，不是文件"
    except PermissionError:
        reason = "没有读取权限"
    except OSError as error:
        reason = f"读取失败（{error.strerror or error}）"
    raise RateInputError([Problem(path, f"无法读取输入文件：{reason}")])


DOMAIN_COMMANDS = {"rate": rate_main}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    # Django command names are module names: `demo-data` is the `demo_data` command.
    argv[0] = {"demo-data": "demo_data"}.get(argv[0], argv[0])
    command = DOMAIN_COMMANDS.get(argv[0])
    if command is not None:
        try:
            return command(argv[1:])
        except KeyboardInterrupt:
            sys.stderr.write("已中断\n")
            return 130
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laborcredit.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    if not argv[0].startswith("-") and argv[0] not in ("help", "version", *get_commands()):
        sys.stderr.write(f"laborcredit：未知命令 {argv[0]}；用 laborcredit --help 查看可用命令\n")
        return 2

    try:
        execute_from_command_line(["laborcredit", *argv])
    except BrokenPipeError:
        # The reader went away (`laborcredit repair due | head`): no traceback. A transaction
        # the command had open was rolled back by the exception; the status says it stopped.
        sys.stderr.close()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
