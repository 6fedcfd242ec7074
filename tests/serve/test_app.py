"""The server on a scripted model: answers, streams, stored runs and their replay, and every bad input's
OpenAI-style error (the server serving on after each)."""

from __future__ import annotations

import json
import shlex
import threading
import urllib.error
import urllib.request
from pathlib import Path

import openai
import pytest

from codesieve.cli import main
from codesieve.runs import Model
from codesieve.store import RunStore
from tests.serve.conftest import ADD_TESTS, KEY, fake_model, fenced

ADD = "Write a function add(a, b) that returns a + b."


def ask(client, text=ADD, **extension):
    return client.chat.completions.create(model="fake", messages=[{"role": "user", "content": text}],
                                          extra_body={"codesieve": extension} if extension else None)


def test_tests_in_the_request_choose_the_passing_program_and_the_run_is_stored(serve, scripted):
    scripted()
    served = serve(model=fake_model())
    answer = ask(served.client(), tests=ADD_TESTS, entry_point="add")
    program = fenced(answer.choices[0].message.content)
    assert "a + b" in program  # sample 0 (a - b) fails the tests
    info = answer.model_extra["codesieve"]
    assert info["tests"] == {"from": "request", "count": 2, "note": "2 tests given in the request"}
    assert info["pick"]["passes_tests"] is True and info["strategy"] == "sstar"
    # sample 0 and its debug revision fail; sample 1 passes and is not debugged
    assert [(c["id"][-4:], c["public_passed"]) for c in info["candidates"]] == [("#0.0", 0), ("#0.1", 0), ("#1.0", 2)]
    assert answer.usage.total_tokens == answer.usage.prompt_tokens + answer.usage.completion_tokens > 0
    assert Path(info["report"]).read_text().startswith("<!DOCTYPE html>")
    with RunStore(served.settings.store) as store:
        assert [(s.problem_id, s.winner) for s in store.selections(info["run"])] == \
            [(info["candidates"][1]["id"].split("#")[0], info["pick"]["candidate"])]
    again = ask(served.client(), tests=ADD_TESTS, entry_point="add")  # resumed from the store
    assert again.model_extra["codesieve"]["run"] == info["run"]
    assert again.choices[0].message.content == answer.choices[0].message.content


def test_a_replay_of_a_served_request_gives_the_same_pick(serve, scripted, capsys):
    scripted()
    served = serve(model=fake_model())
    info = ask(served.client(), tests=ADD_TESTS, entry_point="add").model_extra["codesieve"]
    words = shlex.split(info["replay"])
    assert words[:2] == ["codesieve", "run"] and "--replay" in words
    assert main([*words[1:], "--workers", "1"]) == 0
    assert "sstar 1 of 1 selections identical" in capsys.readouterr().err.replace("\n", " ")
    with RunStore(served.settings.store) as store:
        [replayed] = store.selections(info["run"] + "-replay")
    assert replayed.winner == info["pick"]["candidate"]


def test_examples_in_the_prompt_are_its_tests_and_none_is_said(serve, scripted):
    scripted()
    client = serve(model=fake_model()).client()
    text = "Complete this:\n```python\ndef add(a, b):\n    \"\"\"\n    >>> add(2, 3)\n    5\n    \"\"\"\n```"
    info = ask(client, text).model_extra["codesieve"]
    assert info["tests"]["from"] == "prompt" and info["tests"]["count"] == 1
    assert info["pick"]["passes_tests"] is True
    none = ask(client, "Write a function add(a, b); no examples.").model_extra["codesieve"]
    assert none["tests"]["from"] == "none" and "behaviour on generated inputs" in none["tests"]["note"]
    assert none["pick"]["passes_tests"] is None


def test_a_stream_sends_the_final_message_whole(serve, scripted):
    scripted()
    client = serve(model=fake_model()).client()
    plain = ask(client, tests=ADD_TESTS, entry_point="add")
    chunks = list(client.chat.completions.create(
        model="fake", messages=[{"role": "user", "content": ADD}], stream=True,
        stream_options={"include_usage": True}, extra_body={"codesieve": {"tests": ADD_TESTS, "entry_point": "add"}}))
    texts = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert texts == [plain.choices[0].message.content]
    assert chunks[-1].usage.total_tokens == plain.usage.total_tokens
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"


def error_of(call):
    with pytest.raises(openai.APIStatusError) as caught:
        call()
    return caught.value.status_code, caught.value.body


def test_bad_requests_get_openai_errors_and_the_server_serves_on(serve, scripted):
    scripted()
    served = serve(model=fake_model(), max_body_bytes=20_000)
    client = served.client()
    status, body = error_of(lambda: client.chat.completions.create(model="gpt-4o", messages=[
        {"role": "user", "content": ADD}]))
    assert status == 404 and body["code"] == "model_not_found" and "serves fake" in body["message"]
    status, body = error_of(lambda: ask(client, tests=[{"args": 1, "expected": 3}], entry_point="add"))
    assert status == 400 and body["message"].startswith("codesieve.tests[0]: a function test is")
    status, body = error_of(lambda: ask(client, tests=[{"args": [1, 2], "expected": 3}]))
    assert status == 400 and "codesieve.entry_point" in body["message"]
    status, body = error_of(lambda: ask(client, tests=ADD_TESTS, entry_point="add", strategy="best"))
    assert status == 400 and "unknown strategy 'best'" in body["message"]
    status, body = error_of(lambda: ask(client, "x" * 30_000))
    assert status == 413 and body["code"] == "request_too_large"
    assert error_of(lambda: served.client(key="wrong").models.list())[0] == 401
    assert error_of(lambda: served.client(key=None).chat.completions.create(
        model="fake", messages=[{"role": "user", "content": ADD}]))[0] == 401

    request = urllib.request.Request(served.base_url + "/chat/completions", data=b'{"model": "fake", "messa',
                                     headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    error = json.loads(caught.value.read())["error"]
    assert caught.value.code == 400 and error["code"] == "invalid_json" and error["message"].startswith("the request")

    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(served.base_url + "/completions")
    assert caught.value.code == 404 and "serves POST /v1/chat/completions" in json.loads(caught.value.read())[
        "error"]["message"]

    status, body = error_of(lambda: ask(client, "Answer in prose, please: what is add(a, b)?"))
    assert status == 502 and body["code"] == "no_code" and "no code" in body["message"]
    assert fenced(ask(client, tests=ADD_TESTS, entry_point="add").choices[0].message.content)  # still serving


def test_a_model_server_that_is_down_or_too_slow_is_a_gateway_error(serve, fake_server):
    down = serve(model=fake_model())  # nothing listens on port 9
    status, body = error_of(lambda: ask(down.client(), tests=ADD_TESTS, entry_point="add"))
    assert status == 502 and "nothing is listening" in body["message"]
    slow = fake_server([fake_server.Reply(delay_s=5)] * 4)
    served = serve(model=Model("fake", base_url=slow.base_url, api_key="x"), timeout_s=1)
    status, body = error_of(lambda: ask(served.client(), tests=ADD_TESTS, entry_point="add"))
    assert status == 504 and body["code"] == "timeout"
    with RunStore(served.settings.store) as store:
        assert all(not list(store.selections(key)) for key, _ in store.runs())  # nothing half-written


def test_requests_beyond_the_queue_get_429(serve, scripted):
    scripted(delay_s=1.0)
    served = serve(model=fake_model(), concurrency=1, queue=0)
    statuses: list[int] = []

    def one(text):
        try:
            ask(served.client(), text, tests=ADD_TESTS, entry_point="add")
            statuses.append(200)
        except openai.APIStatusError as exc:
            statuses.append(exc.status_code)

    threads = [threading.Thread(target=one, args=(f"{ADD} Version {i}.",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 429]
