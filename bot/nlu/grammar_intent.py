"""How the grammar components after the classifiers (ClientCardIntent, RequestGrammarIntent) read a message's
names and set the intent they read, one way for both."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

OUTRANKED = 0.5  # what the classifier's guesses keep of their confidence under the grammar


def customer_name_spans(message: Message) -> list[tuple[int, int]]:
    """(start, end) of every customer_name an extractor found in the message."""
    return [
        (int(e["start"]), int(e["end"]))
        for e in message.get(ENTITIES) or []
        if e.get("entity") == "customer_name" and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    ]


def set_grammar_intent(message: Message, intent_name: str) -> None:
    """The grammar's intent at 1.0, the classifier's guesses kept at half their confidence: a confident wrong
    guess (more 0.99) next to 1.0 would make FallbackClassifier call the message ambiguous."""
    ranking = [
        {**r, "confidence": r.get("confidence", 0.0) * OUTRANKED}
        for r in message.get(INTENT_RANKING_KEY) or []
        if r.get("name") != intent_name
    ]
    intent = {"name": intent_name, "confidence": 1.0}
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
