"""`python -m tools demo-data [--customers N] [--seed S] [--today YYYY-MM-DD] [--db URL] [--force]`

`main` takes the arguments after `demo-data` and returns the exit status: 0 done, 1 the database
already holds data (use --force), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys

from bot.clock import day_argument
from tools.demo.load import DEFAULT_CUSTOMERS, DEFAULT_SEED, MIN_CUSTOMERS, BankExists, LoadSummary, generate_bank

TABLE_LABELS = {
    "branches": "网点",
    "staff": "员工",
    "products": "产品",
    "customers": "客户",
    "holdings": "持仓",
    "transactions": "交易",
    "aum_snapshots": "月度资产",
    "contacts": "联系记录",
    "complaints": "投诉",
    "demo_truth": "流失故事",
}


def _customers(text: str) -> int:
    value = int(text)
    if value < MIN_CUSTOMERS:
        raise argparse.ArgumentTypeError(f"客户数至少为 {MIN_CUSTOMERS}")
    return value


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m tools demo-data", description="生成演示银行数据(可复现)")
    ap.add_argument("--customers", type=_customers, default=DEFAULT_CUSTOMERS, help="客户数,默认 6000")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子,默认 {DEFAULT_SEED}")
    ap.add_argument("--today", type=day_argument, default=None, help="以哪一天为今天,默认 BOT_TODAY 或当天")
    ap.add_argument("--db", default=None, help="数据库 URL,默认 BOT_DB_URL 或 sqlite:///var/demo.db")
    ap.add_argument("--force", action="store_true", help="数据库已有数据时删除并重建所有表")
    ap.add_argument("--quiet", action="store_true", help="不显示进度条")
    return ap


def summary_text(summary: LoadSummary, url: str) -> str:
    counts = ",".join(f"{TABLE_LABELS[t]} {n:,}" for t, n in summary.rows.items())
    return (
        f"演示数据已生成:{url}\n"
        f"今天 {summary.today.isoformat()},种子 {summary.seed},用时 {summary.seconds:.1f} 秒\n{counts}"
    )


def main(argv: list[str]) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the problem
        return int(exc.code or 0)
    from bot.clock import today
    from bot.store.db import db_url

    url = args.db or db_url()
    try:
        summary = generate_bank(
            url,
            customers=args.customers,
            seed=args.seed,
            today=args.today or today(),
            force=args.force,
            progress=not args.quiet,
        )
    except BankExists as exc:
        found = ",".join(f"{TABLE_LABELS.get(t, t)} {n:,}" for t, n in exc.counts.items())
        print(f"数据库已有数据({found}),未做改动。如需重新生成请加 --force。", file=sys.stderr)
        return 1
    print(summary_text(summary, url))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
