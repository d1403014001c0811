"""deploy/k8s mirrors what the stack tests: the same commands, the same endpoints (atomic lock store
included), every ${VAR} of the production endpoints and credentials set by the ConfigMap or the Secret."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.model_files import ROOT
from tools.stack import settings as cfg
from tools.stack.stack import ENDPOINTS, ProductionStack, StackSettings

K8S = ROOT / "deploy" / "k8s"


def _documents() -> dict[tuple[str, str], dict]:
    docs = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            docs[(doc["kind"], doc["metadata"]["name"])] = doc
    return docs


def _container(name: str) -> dict:
    return _documents()[("Deployment", name)]["spec"]["template"]["spec"]["containers"][0]


def _flags(argv: list[str]) -> dict[str, str]:
    return {a: b for a, b in zip(argv, argv[1:]) if a.startswith("-")}


def _referenced(path: Path) -> set[str]:
    live = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
    return set(re.findall(r"\$\{(\w+)\}", live))


def test_every_variable_the_production_files_reference_is_set():
    config = set(_documents()[("ConfigMap", "rm-assistant")]["data"])
    secret = {
        line.split("=", 1)[0]
        for line in (K8S / "secret.example.env").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    wanted = _referenced(ENDPOINTS) | _referenced(ROOT / "deploy" / "credentials.prod.yml")
    assert wanted <= config | secret, wanted - config - secret
    assert not config & secret


def test_rasa_runs_the_tested_command_with_the_atomic_lock_store(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_ACTIONS_SECRET", "x" * 32)
    stack = ProductionStack(StackSettings(run_dir=tmp_path, db_url="sqlite:///x.db", instances=1))
    tested = stack.rasa[0].argv
    shipped = _container("rm-assistant-rasa")["command"]
    assert shipped[:5] == ["python", "-m", "bot", "rasa", "run"] and tested[1:5] == ["-m", "bot", "rasa", "run"]
    got, want = _flags(shipped), _flags(tested)
    assert set(got) == set(want)
    assert got["--endpoints"] == "deploy/endpoints.prod.yml" == str(Path(want["--endpoints"]).relative_to(ROOT))
    assert got["--credentials"] == "deploy/credentials.prod.yml"
    assert got["--response-timeout"] == want["--response-timeout"] == str(cfg.RESPONSE_TIMEOUT_S)
    lock = yaml.safe_load(ENDPOINTS.read_text(encoding="utf-8"))["lock_store"]
    assert lock["type"] == "bot.lock_store.AtomicRedisLockStore"
    probe = _container("rm-assistant-rasa")["readinessProbe"]["httpGet"]["path"]
    assert probe == "/webhooks/counter/"


def test_the_action_server_runs_the_projects_entry_point():
    command = _container("rm-assistant-actions")["command"]
    assert command[:4] == ["python", "-m", "bot", "actions"] and _flags(command)["--host"] == "0.0.0.0"
    assert _container("rm-assistant-actions")["readinessProbe"]["httpGet"]["path"] == "/health"


def test_the_edge_forwards_only_the_webhooks_with_the_balancers_limits():
    ingress = _documents()[("Ingress", "rm-assistant")]
    paths = [p["path"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert paths == ["/webhooks/"]
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/proxy-body-size"] == "1m"
    haproxy = (ROOT / "deploy" / "haproxy.cfg").read_text(encoding="utf-8")
    assert "req.body_size gt 1048576" in haproxy and "timeout server 65s" in haproxy
    assert notes["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "65"
