"""The only non-page code that imports streamlit: resources, state, widgets, i18n."""
