"""The simulated Yeastar P-Series PBX (OpenAPI v1.0) — no Textual."""
