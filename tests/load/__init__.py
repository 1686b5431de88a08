"""Load drivers: simulated browser tabs over Streamlit's WebSocket protocol and a lab
scenario on them (used by benchmarks/bench_lab.py and its short form in the tests)."""
