"""Data -> folium layers: styles, popups, attribution. No streamlit, no I/O."""
