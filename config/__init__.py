"""Settings: the one place the app reads its environment."""
