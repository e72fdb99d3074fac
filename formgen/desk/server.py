"""``formgen desk``: serve the desk with waitress on this PC and open the browser.

Pure Python and Windows-safe: no fork, no POSIX signals (Ctrl-C arrives as KeyboardInterrupt on
both systems), the port is the one the OS gives.
"""
from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Callable

from formgen.desk.app import create_app
from formgen.desk.security import new_token

LOCALHOST = "127.0.0.1"
LAN_HOST = "0.0.0.0"


def make_server(workspace_dir: Path | None, *, port: int = 0, lan: bool = False, threads: int = 8):
    """(server, app, url): a waitress server bound to a free port (``port`` 0) on 127.0.0.1
    (``lan``: every interface), not yet serving."""
    from waitress.server import create_server

    token = new_token()
    app = create_app(None, token=token, lan=lan)
    server = create_server(app, host=LAN_HOST if lan else LOCALHOST, port=port, threads=threads,
                           ident="formgen-desk", clear_untrusted_proxy_headers=True)
    base = f"http://{LOCALHOST}:{server.effective_port}/"
    app.config["DESK_URL"] = base
    try:
        if workspace_dir is not None:
            from formgen.desk.context import open_workspace

            open_workspace(app, workspace_dir)
    except BaseException:
        server.close()
        raise
    url = base if lan else f"{base}?token={token}"
    return server, app, url


def run(workspace_dir: Path | None, *, port: int = 0, open_browser: bool = True, lan: bool = False,
        say: Callable[[str], None] = print) -> None:
    server, app, url = make_server(workspace_dir, port=port, lan=lan)
    say(f"formgen 工作台已启动：{url}")
    if lan:
        say(f"局域网模式：同事用 http://本机IP地址:{server.effective_port}/ 访问，以 formgen users add 建立的账号登录。")
    say("按 Ctrl-C 关闭工作台。")
    if open_browser:
        webbrowser.open(url)
    try:
        server.run()
    except KeyboardInterrupt:
        say("正在关闭工作台……")
    finally:
        shutdown(server, app)
    say("工作台已关闭。")


def serve_until(server, stop) -> None:
    """Serve in this thread until ``stop`` (a threading.Event) is set, then close the sockets here:
    waitress's sockets are closed by the thread that polls them (a desk run inside another program)."""
    while not stop.is_set():
        server.asyncore.loop(timeout=0.2, map=server._map, count=1)
    server.close()


def shutdown(server, app) -> None:
    """Stop serving, let running jobs finish their current step, release the workspace lock."""
    server.close()
    release(app)


def release(app) -> None:
    """Stop the workers and give the workspace lock back."""
    for worker in app.config["DESK_WORKERS"].values():
        worker.stop()
    held = app.config.get("DESK_HELD")
    if held is not None:
        held.release()
