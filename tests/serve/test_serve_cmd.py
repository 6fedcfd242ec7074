"""`codesieve serve`: its options become the server's settings, and the command serves on loopback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import openai
import pytest

from codesieve.cli import main


def test_options_become_settings(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **where: seen.update(app=app, **where))
    monkeypatch.setattr("codesieve.serve.create_app", lambda settings: settings)
    assert main(["serve", "--port", "9001", "--api-key", "secret", "--base-url", "http://127.0.0.1:8000/v1",
                 "--model", "coder", "--upstream-api-key", "up", "-n", "4", "--strategy", "majority-vote",
                 "--concurrency", "3", "--queue", "5", "--timeout", "30", "--store", str(tmp_path / "s.sqlite")]) == 0
    settings = seen["app"]
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 9001)  # loopback unless told otherwise
    assert settings.api_key == "secret" and settings.model.api_key == "up" and settings.model.name == "coder"
    assert (settings.n, settings.strategy, settings.concurrency, settings.queue, settings.timeout_s) == \
        (4, "majority-vote", 3, 5, 30.0)


def test_a_remote_model_server_without_a_key_fails_before_serving(monkeypatch, capsys):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert main(["serve", "--base-url", "https://models.example.com/v1"]) == 2
    assert "needs an API key" in capsys.readouterr().err


def test_the_command_serves_the_model_with_its_key(smollm2_server, tmp_path):
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "codesieve"), "serve", "--port", "0", "--model", "smollm2",
         "--base-url", smollm2_server.base_url + "/v1", "--upstream-api-key", smollm2_server.api_key,
         "--api-key", "k", "--store", str(tmp_path / "s.sqlite"), "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = _served_url(server)
        assert [m.id for m in openai.OpenAI(base_url=url, api_key="k").models.list()] == ["smollm2"]
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=url, api_key="other", max_retries=0).models.list()
    finally:
        server.terminate()
        server.wait(30)


def _served_url(server: subprocess.Popen) -> str:
    """The address uvicorn reports once it listens (port 0: a free port it chose)."""
    deadline = time.monotonic() + 60
    for line in server.stdout:
        if "Uvicorn running on " in line:
            return line.split("Uvicorn running on ")[1].split()[0] + "/v1"
        assert time.monotonic() < deadline, "the server did not start"
    raise AssertionError("the server exited before serving")
