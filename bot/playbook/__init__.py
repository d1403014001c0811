"""The retention playbook: what to say (scripts 话术), what to do next, whom to contact today.

Pure functions over `bot.store.situation.ClientSituation`; no database, no Rasa. All wording lives
in scripts.yml / advice.yml (reviewed by bankers) and formatting.py.

Form of address: `formatting.form_of_address` adds the 陈总 rule (private/VIP clients who run a
business) to `bot.nlu.names.title_for` (张女士 / 王先生).
"""
from bot.playbook.daily_plan import PlanItem, daily_plan
from bot.playbook.next_steps import Action, NextSteps, next_steps
from bot.playbook.priorities import retention_priority
from bot.playbook.scripts import OCCASIONS, Script, choose_occasion, script_for

__all__ = [
    "Action",
    "NextSteps",
    "OCCASIONS",
    "PlanItem",
    "Script",
    "choose_occasion",
    "daily_plan",
    "next_steps",
    "retention_priority",
    "script_for",
]
