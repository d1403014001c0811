"""Churn scorer: customer store -> features -> calibrated risk, reasons in the RM's words, churn type.

Modules: `features` (what the model sees, as of a date), `outcomes` (the churn label), `dataset` (time-split
training snapshots), `model` (train/save/load), `contributions` (the model's own additive explanation),
`reasons` + `reason_text` (top reasons rendered in Chinese), `churn_type`, `service` (what the assistant calls),
`batch` (`python -m scoring score`), `evaluation` (metrics, report), `external` (CSV benchmark).
"""
