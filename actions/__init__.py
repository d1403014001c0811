"""Rasa custom actions: thin. Read slots/entities, call bot.answers in a thread, format with bot.replies."""
