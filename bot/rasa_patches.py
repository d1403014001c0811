"""Small, pinned patches to Rasa internals, applied in every process that runs Rasa (`python -m bot rasa`, the chat).

Each patch names the Rasa version it was written against and a fingerprint of the source it replaces:
`apply()` refuses to patch anything else (tests/test_rasa_patches.py fails on an upgrade), so a new Rasa
release is reviewed rather than silently patched.

- Cached action-response validator. Rasa 3.6's `RemoteAction._validate_action_result` calls
  `jsonschema.validate`, which re-checks the schema against the metaschema and builds a validator on every
  action call: about 20 ms of CPU per call here, a fifth of a turn (py-spy on the stack). The schema is a
  constant, so the validator is built once; validation itself (the same checks, the same error, the same
  message suffix) is unchanged.
"""

from __future__ import annotations

import hashlib
import inspect
import os
from typing import Any

RASA_VERSION = "3.6.21"
# sha256 of inspect.getsource(RemoteAction._validate_action_result) in RASA_VERSION.
VALIDATE_SOURCE_SHA256 = "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"

_applied = False


class RasaPatchError(RuntimeError):
    """The installed Rasa is not the one the patches were written for."""


def source_fingerprint(func: Any) -> str:
    return hashlib.sha256(inspect.getsource(func).encode()).hexdigest()


def check_versions() -> None:
    import rasa
    from rasa.core.actions.action import RemoteAction

    if rasa.__version__ != RASA_VERSION:
        raise RasaPatchError(f"bot/rasa_patches.py was written for Rasa {RASA_VERSION}, found {rasa.__version__}")
    got = source_fingerprint(RemoteAction._validate_action_result)
    if got != VALIDATE_SOURCE_SHA256:
        raise RasaPatchError(f"RemoteAction._validate_action_result changed (sha256 {got}); review the patch")


OFF_SWITCH = "BOT_RASA_PATCHES"  # "off": run Rasa as shipped (to compare, or if a patch ever misbehaves)


def apply() -> None:
    """Patch once per process; a second call does nothing; BOT_RASA_PATCHES=off leaves Rasa as shipped."""
    global _applied
    if _applied or os.environ.get(OFF_SWITCH, "").lower() == "off":
        return
    check_versions()
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped]
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate would on every call
    validator = cls(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))  # what jsonschema.validate raises
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = _validate_action_result
    _applied = True
