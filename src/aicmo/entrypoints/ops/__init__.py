"""The ops shell: a second, tiny Streamlit app that starts even when the main package is half broken."""
