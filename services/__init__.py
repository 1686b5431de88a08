"""The use cases a screen asks for (compare quarters, the plan report, the layer registry,
measures and their exports, candidates, the view of pins a role may see): plain Python
without streamlit, tested and benchmarked without a page."""
