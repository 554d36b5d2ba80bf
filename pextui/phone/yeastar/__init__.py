"""A Yeastar P-Series OpenAPI client: tokens, (30011) events, blind and attended transfer."""
