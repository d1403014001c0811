"""The demo bank's product shelf.

Type codes are those of `bot.labels.PRODUCT_TYPE`. Yields are annual, in basis points, and
in line with what Chinese banks offered in 2025-2026: wealth products 2.6-3.6%, term deposits
and large certificates below that, bancassurance low, funds without an expected yield.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WAN_FEN = 10_000 * 100


@dataclass(frozen=True)
class ProductSpec:
    code: str
    type: str  # wealth | term_deposit | cd | fund | insurance | bond
    name: str
    term_days: int | None
    expected_yield_bp: int | None
    risk_level: str  # R1 .. R5
    min_amount_fen: int
    weight: float  # how often a new position goes into this product, within what the client may buy

    @property
    def risk(self) -> int:
        return int(self.risk_level[1])


CATALOG: tuple[ProductSpec, ...] = (
    ProductSpec("WM03A", "wealth", "稳享3个月理财A款", 91, 265, "R2", 1 * WAN_FEN, 5.0),
    ProductSpec("WM03B", "wealth", "安盈3个月理财B款", 91, 280, "R2", 1 * WAN_FEN, 4.0),
    ProductSpec("WM06A", "wealth", "稳享6个月理财", 182, 295, "R2", 1 * WAN_FEN, 4.0),
    ProductSpec("WM06B", "wealth", "鑫益6个月理财", 182, 310, "R2", 1 * WAN_FEN, 3.0),
    ProductSpec("WM12A", "wealth", "稳享12个月理财", 365, 325, "R2", 1 * WAN_FEN, 3.0),
    ProductSpec("WM12B", "wealth", "增利12个月理财", 365, 360, "R3", 1 * WAN_FEN, 2.0),
    ProductSpec("TD03", "term_deposit", "整存整取3个月", 91, 115, "R1", 50 * 100, 2.0),
    ProductSpec("TD06", "term_deposit", "整存整取6个月", 182, 135, "R1", 50 * 100, 2.0),
    ProductSpec("TD1Y", "term_deposit", "整存整取1年", 365, 145, "R1", 50 * 100, 3.0),
    ProductSpec("TD2Y", "term_deposit", "整存整取2年", 730, 165, "R1", 50 * 100, 1.5),
    ProductSpec("TD3Y", "term_deposit", "整存整取3年", 1095, 195, "R1", 50 * 100, 1.5),
    ProductSpec("CD1Y", "cd", "大额存单1年期", 365, 170, "R1", 20 * WAN_FEN, 2.0),
    ProductSpec("CD3Y", "cd", "大额存单3年期", 1095, 215, "R1", 20 * WAN_FEN, 2.0),
    ProductSpec("FDMIX", "fund", "均衡混合基金", None, None, "R3", 100 * 100, 2.0),
    ProductSpec("FDIDX", "fund", "沪深300指数基金", None, None, "R4", 100 * 100, 1.5),
    ProductSpec("FDEQ", "fund", "成长优选股票基金", None, None, "R4", 100 * 100, 1.2),
    ProductSpec("FDTECH", "fund", "科技创新股票基金", None, None, "R5", 100 * 100, 0.8),
    ProductSpec("INS05", "insurance", "稳盈年金保险(5年)", 1825, 200, "R1", 1 * WAN_FEN, 0.9),
    ProductSpec("INS10", "insurance", "福满堂两全保险(10年)", 3650, 230, "R2", 1 * WAN_FEN, 0.6),
    ProductSpec("BD3Y", "bond", "储蓄国债(凭证式)3年期", 1095, 190, "R1", 100 * 100, 0.8),
    ProductSpec("BD5Y", "bond", "储蓄国债(电子式)5年期", 1825, 200, "R1", 100 * 100, 0.5),
)

PRODUCT_INDEX = {p.code: i for i, p in enumerate(CATALOG)}
PRODUCT_IDS = np.arange(1, len(CATALOG) + 1)  # products.id = catalogue position + 1

TERM_DAYS = np.array([p.term_days or 0 for p in CATALOG], dtype=np.int64)
YIELD_BP = np.array([p.expected_yield_bp or 0 for p in CATALOG], dtype=np.int64)
RISK = np.array([p.risk for p in CATALOG], dtype=np.int64)
MIN_FEN = np.array([p.min_amount_fen for p in CATALOG], dtype=np.int64)
WEIGHT = np.array([p.weight for p in CATALOG], dtype=np.float64)
IS_FUND = np.array([p.type == "fund" for p in CATALOG])
ACCRUES = np.array([p.type in ("wealth", "insurance") for p in CATALOG])  # shown at accrued value


def product_rows() -> list[tuple]:
    """(id, code, type, name, term_days, expected_yield_bp, risk_level) per product."""
    return [
        (i + 1, p.code, p.type, p.name, p.term_days, p.expected_yield_bp, p.risk_level) for i, p in enumerate(CATALOG)
    ]


def pick_products(rng: np.random.Generator, amounts_fen: np.ndarray, client_risk: np.ndarray) -> np.ndarray:
    """A catalogue index per position: weighted among products the client may buy with that amount."""
    eligible = (MIN_FEN[None, :] <= amounts_fen[:, None]) & (RISK[None, :] <= client_risk[:, None])
    weights = np.where(eligible, WEIGHT[None, :], 0.0)
    # Nothing eligible (tiny amounts): a 3-month deposit, which has the lowest entry ticket.
    weights[weights.sum(axis=1) == 0, PRODUCT_INDEX["TD03"]] = 1.0
    cumulative = np.cumsum(weights, axis=1)
    draw = rng.random(len(amounts_fen)) * cumulative[:, -1]
    return (cumulative < draw[:, None]).sum(axis=1)
