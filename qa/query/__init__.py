"""Query analysis: a question becomes a `Query` once (topic terms, names, period, intent, follow-up context)."""
