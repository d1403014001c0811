"""Rasa's core test over tests/test_stories.yml on the session's model (trained once, or reused by
fingerprint): every dialogue path of the playbook and the contact form must be predicted as written.

The same check from the shell: .venv/bin/rasa test core --stories tests/test_stories.yml
"""

from pathlib import Path

from tests.model_fixture import nlu_agent, trained_model  # noqa: F401  (fixtures)

STORIES = Path(__file__).parent / "test_stories.yml"


async def test_no_test_story_fails(nlu_agent, tmp_path):  # noqa: F811
    from rasa.core.test import test

    result = await test(str(STORIES), nlu_agent, out_directory=str(tmp_path), disable_plotting=True, warnings=False)
    conversations = result["report"]["conversation_accuracy"]
    failed = (tmp_path / "failed_test_stories.yml").read_text(encoding="utf-8")
    assert conversations["total"] >= 12
    assert conversations["correct"] == conversations["total"], failed
