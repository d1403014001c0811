"""Scripted conversations: bank QA replays them against a running assistant and checks every reply.

`python -m tools converse PATH...` (see docs/converse.md). Modules:
`script` the YAML format and its validation · `named_queries` expectations computed from the store ·
`checks` reply assertions · `clients` how a turn travels per channel · `stack` a local stack or a URL ·
`runner` plays conversations in parallel · `report` readable output and JUnit XML · `cli` the command.
"""
