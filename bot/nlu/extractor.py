"""Rasa 3.6 graph component: rule-based extraction of the bank assistant's normalisable entities.

`BankEntityExtractor` is the single source of truth for time_range, amount, top_n, product_type, tier,
contact_channel and purpose. Place it after any ML extractor in config.yml:

    - name: bot.nlu.extractor.BankEntityExtractor

On each message it removes entities of those types produced by any other extractor, drops a
customer_name whose span overlaps one of its own spans (a name that swallowed 下周), leaves every other
entity alone, and adds its own. Entity values are the canonical code for product_type / tier /
contact_channel / purpose and the raw text for the rest. Customer names are not extracted here.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.spans import RULE_ENTITIES, Span, find_spans

CUSTOMER_NAME = "customer_name"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class BankEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds time_range / amount / top_n / product_type / tier / contact_channel / purpose found by rules."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Which rule-owned entity types to emit; the others are still removed from other extractors.
            "entities": list(RULE_ENTITIES),
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> BankEntityExtractor:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        unknown = set(self._config["entities"]) - set(RULE_ENTITIES)
        if unknown:
            raise ValueError(f"BankEntityExtractor cannot extract {sorted(unknown)}")
        self._emitted = frozenset(self._config["entities"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            spans = [span for span in find_spans(text) if span.entity in self._emitted]
            kept = [entity for entity in message.get(ENTITIES, []) if self._keeps(entity, spans)]
            ours = self.add_extractor_name([_as_entity(span) for span in spans])
            message.set(ENTITIES, sorted(kept + ours, key=_position), add_to_output=True)
        return messages

    def _keeps(self, entity: dict[str, Any], spans: list[Span]) -> bool:
        """Whether an entity from another extractor survives next to our spans."""
        kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
        if kind in RULE_ENTITIES:
            return False  # ours alone, including any from an earlier run of this component
        if kind == CUSTOMER_NAME:
            return not any(_overlaps(entity, span) for span in spans)
        return True


def _as_entity(span: Span) -> dict[str, Any]:
    return {
        ENTITY_ATTRIBUTE_TYPE: span.entity,
        ENTITY_ATTRIBUTE_START: span.start,
        ENTITY_ATTRIBUTE_END: span.end,
        ENTITY_ATTRIBUTE_VALUE: span.value,
    }


def _position(entity: dict[str, Any]) -> tuple:
    return entity.get(ENTITY_ATTRIBUTE_START, 0), entity.get(ENTITY_ATTRIBUTE_END, 0)


def _overlaps(entity: dict[str, Any], span: Span) -> bool:
    start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
    if start is None or end is None:
        return False
    return start < span.end and span.start < end
