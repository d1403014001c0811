"""The customer store: tables, sessions and the queries the assistant asks. Knows nothing of Rasa."""
