import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from codesieve.cli import main
from codesieve.errors import BackendError
from codesieve.stages import ProblemCandidates
from codesieve.verify.http_orm import HttpOrm
from codesieve.verify.pool import write_pool

from tests.verify.conftest import ADD, cands


class RewardHandler(BaseHTTPRequestHandler):
    """Scores a text by whether it adds; replies in vLLM's pooling format, per-token style."""

    requests = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        RewardHandler.requests.append(body)
        if body["model"] == "broken":
            payload = {"error": "no such model"}
        else:
            payload = {"data": [{"index": i, "data": [[0.0], [float("a + b" in text)]]}
                                for i, text in reversed(list(enumerate(body["input"])))]}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RewardHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/pooling"
    httpd.shutdown()
    httpd.server_close()


def test_scores_come_back_in_order_and_in_batches(server):
    RewardHandler.requests.clear()
    group = ProblemCandidates(ADD, cands(ADD, "def add(a, b): return a - b", "def add(a, b): return a + b", "pass"))
    [scores] = asyncio.run(HttpOrm(server, "rm", batch_size=2).check([group]))
    assert [s.value for s in scores] == [0.0, 1.0, 0.0] and all(s.keep for s in scores)
    assert [len(r["input"]) for r in RewardHandler.requests] == [2, 1]
    assert RewardHandler.requests[0]["input"][1] == ADD.prompt + "\n\n" + "def add(a, b): return a + b"  # the text scored


def test_bad_replies_and_dead_servers_are_backend_errors(server):
    group = ProblemCandidates(ADD, cands(ADD, "x"))
    with pytest.raises(BackendError, match="unexpected reply"):
        asyncio.run(HttpOrm(server, "broken").check([group]))
    with pytest.raises(BackendError, match="cannot reach"):
        asyncio.run(HttpOrm("http://127.0.0.1:9/pooling", timeout_s=2).check([group]))


def test_pareto_measures_a_served_orm(server, pool, tmp_path):
    small = tmp_path / "small.jsonl.gz"
    write_pool(small, pool.only(list(pool.by_problem())[:3]))
    assert main(["pareto", str(small), "-o", str(tmp_path), "--spec", "syntax > orm:http", "--orm-url", server,
                 "--orm-model", "rm", "--max-loss", "100"]) == 0
    data = json.loads((tmp_path / "pareto_small.json").read_text())
    assert [p["spec"] for p in data["points"]] == ["full", "syntax > orm:http"]
