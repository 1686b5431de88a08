"""Starts the app server: `python serve.py [streamlit options]` (see ui/server.py)."""

from ui.server import main

if __name__ == "__main__":
    main()
