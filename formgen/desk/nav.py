"""The desk's top navigation: (endpoint, label), shown when that page is registered."""
from __future__ import annotations

NAV = [
    ("dashboard.index", "总览"),
    ("inbox.index", "收件"),
    ("review.index", "核对"),
    ("reminders.index", "催报"),
    ("scoring.index", "评分"),
    ("ballots.index", "测评票"),
    ("publish.index", "发布"),
    ("settings.index", "设置"),
]
