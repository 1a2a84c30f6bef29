"""The web layer: a JSON API (OpenAPI at /api/docs) and server-rendered pages, Arabic first.

Thin by design: routes read the caller's readable datasets from one dependency, call the
store and model services, and shape the answer. See ``app.create_app``.
"""
