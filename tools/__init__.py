"""Tooling around the assistant, kept out of the runtime package `bot/` (which never imports it).

`python -m tools COMMAND`: `demo-data` (the demo-bank generator, `tools.demo`), `converse` (the scripted-conversation
QA runner, `tools.converse`), `stack` (the production-style stack, its balancer and TCP proxy, `tools.stack`).
`tools.fake_tencent` is the one stand-in for Tencent's message API that tests, the QA runner and the benchmarks use.
"""
