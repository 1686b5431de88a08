"""Pure computation on districts, pins and places; imports nothing of the app."""
