"""Metrics of a churn model on held-out data, and the report (`python -m scoring report`): ROC and calibration
plots as PNG files plus a short model card in Markdown."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score, roc_curve

TOP_SHARE = 0.10  # RMs act on the riskiest tenth of their book


def precision_at_top(y: np.ndarray, p: np.ndarray, share: float = TOP_SHARE) -> float:
    """Share of actual churners among the `share` highest-scored customers (ties broken by order)."""
    y, p = np.asarray(y), np.asarray(p)
    k = max(1, int(round(len(y) * share)))
    top = np.argsort(-p, kind="stable")[:k]
    return float(y[top].mean())


def metrics(y: np.ndarray, p: np.ndarray) -> dict:
    y, p = np.asarray(y), np.asarray(p, dtype=np.float64)
    both = len(np.unique(y)) == 2
    base = float(y.mean()) if len(y) else 0.0
    top = precision_at_top(y, p) if len(y) else 0.0
    return {
        "n": int(len(y)),
        "positives": int(y.sum()),
        "base_rate": round(base, 4),
        "roc_auc": round(float(roc_auc_score(y, p)), 4) if both else None,
        "pr_auc": round(float(average_precision_score(y, p)), 4) if both else None,
        "brier": round(float(brier_score_loss(y, p)), 4) if len(y) else None,
        "precision_top10": round(top, 4),
        "lift_top10": round(top / base, 2) if base else None,
    }


def write_report(model, out_dir: str | Path) -> list[Path]:
    """roc.png, calibration.png and model_card.md for a trained model (uses its stored held-out predictions)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ev = model.evaluation
    y = np.asarray(ev.get("y_test", []))
    preds = {k: np.asarray(v) for k, v in ev.get("p_test", {}).items()}
    written = []

    fig, ax = plt.subplots(figsize=(5, 5))
    for kind, p in preds.items():
        if len(np.unique(y)) == 2:
            fpr, tpr, _ = roc_curve(y, p)
            ax.plot(fpr, tpr, label=f"{kind} (AUC {model.metrics.get(kind, {}).get('roc_auc')})")
    ax.plot([0, 1], [0, 1], "k:", lw=1)
    ax.set_xlabel("False positive rate")
    ax.set_ylabel("True positive rate")
    ax.set_title(f"ROC, test as of {ev.get('test_as_of')}")
    ax.legend(loc="lower right")
    fig.tight_layout()
    written.append(out / "roc.png")
    fig.savefig(written[-1], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 5))
    for kind, p in preds.items():
        mean_p, frac = _reliability(y, p)
        ax.plot(mean_p, frac, "o-", label=kind)
    ax.plot([0, 1], [0, 1], "k:", lw=1)
    ax.set_xlabel("Predicted probability (binned)")
    ax.set_ylabel("Observed churn rate")
    ax.set_title("Calibration on the test snapshot")
    ax.legend(loc="upper left")
    fig.tight_layout()
    written.append(out / "calibration.png")
    fig.savefig(written[-1], dpi=110)
    plt.close(fig)

    written.append(out / "model_card.md")
    written[-1].write_text(model_card(model), encoding="utf-8")
    return written


RELIABILITY_EDGES = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0)


def _reliability(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean prediction and observed rate per probability bin; bins are finer at the low end, where most
    churn scores are, and empty bins are left out."""
    which = np.clip(np.searchsorted(RELIABILITY_EDGES, p, side="right") - 1, 0, len(RELIABILITY_EDGES) - 2)
    groups = [np.flatnonzero(which == k) for k in range(len(RELIABILITY_EDGES) - 1)]
    groups = [g for g in groups if len(g) >= 10]
    return np.array([p[g].mean() for g in groups]), np.array([y[g].mean() for g in groups])


def model_card(model) -> str:
    ev, m = model.evaluation, model.metrics
    lines = [
        f"# Churn model card — {model.version}",
        "",
        f"- Served model: **{model.kind}** (HistGradientBoostingClassifier when `gbm`), Platt-calibrated on a "
        "time-held-out slice; baseline: standardised logistic regression, calibrated the same way.",
        f"- Trained on {model.trained_on}; scikit-learn {ev.get('sklearn_version', '?')}; "
        f"{len(model.features)} features (`scoring/features.py`).",
        f"- Label: account closed, or a month-end AUM ≤ 50% of the as-of AUM (latest month end before it), within "
        f"{ev.get('horizon_days')} days after the as-of date (`scoring/outcomes.py`).",
        "",
        "## Data and time split",
        f"- Fit snapshots (as-of dates): {', '.join(ev.get('fit_as_of', []))}",
        f"- Calibration snapshots: {', '.join(ev.get('calibrate_as_of', []))}",
        f"- Test snapshot: {ev.get('test_as_of')} (newest; every training label window ends on or before it: "
        f"gap {ev.get('gap_days')} days)",
        f"- Rows (fit / calibration / test): {ev.get('rows')}; positives: {ev.get('positives')}",
        "",
        "## Held-out metrics (test snapshot)",
        "",
        "| model | ROC AUC | PR AUC | Brier | precision in top 10% | lift | base rate |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in ("gbm", "logreg"):
        if kind in m:
            r = m[kind]
            lines.append(
                f"| {kind} | {r['roc_auc']} | {r['pr_auc']} | {r['brier']} | {r['precision_top10']} | "
                f"{r['lift_top10']} | {r['base_rate']} |"
            )
    top = ev.get("top_features") or []
    if top:
        lines += ["", "## What drives the score (mean |contribution| in log-odds on the test snapshot)", ""]
        lines += [f"- {name}: {value:.3f}" for name, value in top]
    lines += [
        "",
        "## Use and limits",
        "- Scores rank an RM's clients for outreach; bands: high ≥ "
        f"{ev.get('bands', {}).get('high')}, medium ≥ {ev.get('bands', {}).get('medium')} (calibrated probability).",
        "- Reasons are the model's own tree-path (or linear) contributions, grouped and worded in "
        "`scoring/reason_text.py`; churn type is decided by explicit evidence rules (`scoring/churn_type.py`).",
        "- Trained on the synthetic demo bank: retrain on real history before any real use. Holding status has no "
        "date, so redeemed funds are treated as redeemed before every as-of date.",
        "",
        "Plots: `roc.png`, `calibration.png`.",
        "",
    ]
    return "\n".join(lines)
