"""The evidence kinds' pydantic models, one module per kind (``decision`` with its checks).

Imported one kind at a time (``evidence_schema._registry.model_for``): validating a file pays
for its own kind's models only (issue 13). This package's ``__init__`` imports nothing.
"""
