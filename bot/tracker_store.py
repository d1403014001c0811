"""Rasa's SQL tracker store with one change: connections are checked before use (`pool_pre_ping`).

Rasa 3.6 creates its engine without it, so after a PostgreSQL restart each instance's pooled connections
are dead; the first turn that uses one fails, Rasa's fail-safe wrapper then answers from an empty tracker
and the conversation loses its context (the list "还有吗" pages through, the client being discussed).
With the ping a dead connection is replaced before the query, and nothing is lost.

deploy/endpoints.prod.yml:   tracker_store: {type: bot.tracker_store.PrePingSQLTrackerStore, ...}
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class PrePingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # connects, creates the tables, as Rasa does
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
