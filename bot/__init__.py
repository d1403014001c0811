"""The retention assistant for bank relationship managers (everything except Rasa actions)."""
