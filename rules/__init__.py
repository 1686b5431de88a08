"""The participation rules: pins, roles, accounts, labs, measures, limits, vocabularies
and the one error hierarchy. Plain values and checks; imports nothing else of the app."""
