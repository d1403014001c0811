"""SpacyNameExtractor: trains a spaCy NER on a tiny data set, persists it into Rasa's model storage,
loads it back and owns customer_name. The data here is written for these tests (no held-out lines)."""

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.spacy_names import PIPELINE_DIR, SpacyNameExtractor

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["王秀英", "陈建国", "李娜", "赵德明", "周敏", "孙丽", "黄磊", "吴桂芳", "郑强", "冯丽娟", "何军", "马丽"]
FRAMES = ["{}的资产", "看一下{}的情况", "给{}打电话怎么说", "{}为什么有流失风险", "{}下一步怎么做", "查查{}"]
NEGATIVES = ["本周哪些客户理财到期", "今天先联系谁", "下一步怎么做", "给她打电话怎么说", "谢谢", "网点整体预警情况"]
CONFIG = {**SpacyNameExtractor.get_default_config(), "epochs": 20}


def _message(text, names=()):
    entities = []
    for name in names:
        start = text.index(name)
        entities.append({"entity": "customer_name", "start": start, "end": start + len(name), "value": name})
    return Message(data={TEXT: text, "intent": "customer_profile", ENTITIES: entities})


def tiny_training_data() -> TrainingData:
    examples = [_message(frame.format(name), [name]) for name in NAMES for frame in FRAMES]
    examples += [_message(text) for text in NEGATIVES]
    return TrainingData(training_examples=examples)


def _context():
    return ExecutionContext(graph_schema=None, model_id="test")


def train(storage_dir: Path, resource: Resource, config=CONFIG) -> SpacyNameExtractor:
    extractor = SpacyNameExtractor.create(config, LocalModelStorage(storage_dir), resource, _context())
    extractor.train(tiny_training_data())
    return extractor


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage_dir = tmp_path_factory.mktemp("storage")
    resource = Resource("spacy_names")
    train(storage_dir, resource)
    return storage_dir, resource


@pytest.fixture(scope="module")
def loaded(trained):
    storage_dir, resource = trained
    return SpacyNameExtractor.load(CONFIG, LocalModelStorage(storage_dir), resource, _context())


def names_found(extractor, text, entities=None):
    message = Message(data={TEXT: text, ENTITIES: entities or []})
    extractor.process([message])
    return message.get(ENTITIES)


def test_trained_pipeline_is_persisted_in_the_model_storage(trained):
    storage_dir, resource = trained
    with LocalModelStorage(storage_dir).read_from(resource) as directory:
        assert (directory / PIPELINE_DIR / "ner").is_dir()
        assert (directory / PIPELINE_DIR / "config.cfg").is_file()


def test_loaded_extractor_finds_a_trained_name_with_its_own_extractor_name(loaded):
    entities = names_found(loaded, "王秀英的资产")

    assert [(e["entity"], e["start"], e["end"], e["value"], e["extractor"]) for e in entities] == [
        ("customer_name", 0, 3, "王秀英", "SpacyNameExtractor")
    ]


def test_loaded_extractor_finds_no_name_in_a_question_without_one(loaded):
    assert names_found(loaded, "本周哪些客户理财到期") == []


def test_other_extractors_customer_names_are_replaced_and_other_entities_kept(loaded):
    diet = [
        {"entity": "customer_name", "start": 0, "end": 5, "value": "王秀英的资", "extractor": "DIETClassifier"},
        {"entity": "purpose", "start": 0, "end": 1, "value": "王", "extractor": "DIETClassifier"},
    ]

    entities = names_found(loaded, "王秀英的资产", diet)

    assert [(e["entity"], e["value"], e["extractor"]) for e in entities] == [
        ("purpose", "王", "DIETClassifier"),
        ("customer_name", "王秀英", "SpacyNameExtractor"),
    ]


def test_training_twice_with_the_same_seed_gives_the_same_model(tmp_path, trained):
    storage_dir, resource = trained
    again = train(tmp_path, Resource("spacy_names"))
    first = SpacyNameExtractor.load(CONFIG, LocalModelStorage(storage_dir), resource, _context())

    assert again._nlp.get_pipe("ner").to_bytes() == first._nlp.get_pipe("ner").to_bytes()


def test_training_data_without_names_is_refused(tmp_path):
    extractor = SpacyNameExtractor.create(CONFIG, LocalModelStorage(tmp_path), Resource("spacy_names"), _context())

    with pytest.raises(ValueError, match="no customer_name"):
        extractor.train(TrainingData(training_examples=[_message(text) for text in NEGATIVES]))


def test_config_yml_takes_customer_names_from_spacy_before_the_rules_and_runs_no_diet():
    names = [c["name"] for c in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]]

    spacy_at = names.index("bot.nlu.spacy_names.SpacyNameExtractor")
    assert names.index("JiebaTokenizer") < spacy_at < names.index("bot.nlu.extractor.BankEntityExtractor")
    assert "DIETClassifier" not in names  # purposes are rules (bot/nlu/purposes.py): no TensorFlow per message
