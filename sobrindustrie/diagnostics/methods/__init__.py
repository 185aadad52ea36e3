"""The diagnostic method as versioned data: YAML files, their loader and the rule evaluator.

Nothing here imports Django: a method is parsed into frozen dataclasses (`schema`), checked by
`loader.parse_method`, and evaluated against plain facts by `evaluate.evaluate`. The Django app
stores the YAML of each version and adapts its models to `facts.DiagnosticFacts`.
"""
