"""The retention playbook: what to say (scripts 话术), what to do next, whom to contact today.

Pure functions over `bot.store.situation.ClientSituation`; no database, no Rasa. All wording lives
in scripts.yml / advice.yml (reviewed by bankers); money, dates and the form of address come from
`bot.formatting`, code labels from `bot.labels`.
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
