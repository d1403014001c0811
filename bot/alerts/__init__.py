"""Pushes that reach the RM first (issue #14): the morning briefing and same-day alerts through WeCom,
written to an outbox before they are sent and sent exactly once (see bot.alerts.outbox).

facts.py (what a push is about) · detectors.py (new transactions and scores since a watermark) ·
briefing.py (each RM's morning, from the daily plan's parts) · outbox.py (queue, claim, mark, recover) ·
sender.py (the worker) · jobs.py (one pass) · cli.py (`python -m bot alerts run|watch`) · counter.py
(a withdrawal asked about at the counter, queued by bot/answers/script.py) · settings.py (times, retries) ·
wecom.py (WeCom settings from credentials.yml and the environment).
Wording: bot/replies/alerts.py.
"""
