-- Schemas the stack uses (python -m tools stack creates the tracker schema itself; the container does it here).
CREATE SCHEMA IF NOT EXISTS bank;           -- the customer store (BOT_DB_URL)
CREATE SCHEMA IF NOT EXISTS rasa_trackers;  -- Rasa's tracker store (BOT_TRACKER_DB_URL)
