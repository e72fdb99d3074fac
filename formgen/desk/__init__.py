"""The desk: the campaign in the clerk's browser (``formgen desk``).

A second thin face beside ``formgen/cli/``: pages call the same stage functions the CLI calls,
and hold no rules, no SQL and no XML. ``app.create_app`` builds the Flask app, ``server.run``
serves it with waitress on 127.0.0.1.
"""
