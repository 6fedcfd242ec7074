"""The Ray driver's task queue and test-set record, alone: no Ray, no cluster."""

from codesieve.execution.interface import Task
from codesieve.execution.ray_backend.queue import TaskQueue, chunk_size
from codesieve.execution.ray_backend.testsets import TestSets


def _task(key: str, tests_key: str, cost: float = 0.0, tests: str = "[]") -> Task:
    return Task(key, "{}", tests_key, tests, 1, 10.0, cost)


def _raw(v: str = "passed") -> dict:
    return {"outcomes": [{"v": v}], "wall": 0.0}


def test_take_prefers_the_lowest_ranked_test_set_then_the_dearest_tasks():
    queue = TaskQueue()
    queue.submit([_task("a1", "A", 1), _task("b1", "B", 5), _task("a2", "A", 3), _task("c1", "C", 9)],
                 lambda task, raw: None)
    assert len(queue) == 4
    held_a = {"A": 0, "B": 2, "C": 1}
    assert [i.task.key for i in queue.take(1, held_a.__getitem__)] == ["a2"]  # A's dearest first
    assert [i.task.key for i in queue.take(3, held_a.__getitem__)] == ["a1", "c1", "b1"]
    assert not queue and queue.take(5, held_a.__getitem__) == []


def test_among_equal_ranks_the_set_with_the_dearest_task_goes_first():
    queue = TaskQueue()
    queue.submit([_task("a", "A", 1), _task("b", "B", 7), _task("c", "C", 4)], lambda task, raw: None)
    assert [i.task.key for i in queue.take(3, lambda key: 0)] == ["b", "c", "a"]


def test_a_requeued_task_goes_first_of_its_set():
    queue = TaskQueue()
    queue.submit([_task("a1", "A", 2), _task("a2", "A", 1)], lambda task, raw: None)
    sent = queue.take(1, lambda key: 0)
    sent[0].attempts += 1
    queue.requeue(sent[0])
    assert [i.task.key for i in queue.take(2, lambda key: 0)] == ["a1", "a2"]


def test_each_result_is_delivered_once_and_the_batch_finishes_with_its_last():
    seen = []
    queue = TaskQueue()
    batch = queue.submit([_task("a", "A"), _task("b", "B")], lambda task, raw: seen.append((task.key, raw)))
    for item in queue.take(2, lambda key: 0):
        assert not batch.finished.is_set()
        queue.deliver(item, _raw())
    assert batch.finished.is_set() and batch.error is None
    assert sorted(k for k, _ in seen) == ["a", "b"] and queue.delivered == 2


def test_a_failing_callback_does_not_stop_the_batch():
    def boom(task, raw):
        raise RuntimeError("caller's bug")

    queue = TaskQueue()
    batch = queue.submit([_task("a", "A")], boom)
    queue.deliver(queue.take(1, lambda key: 0)[0], _raw())
    assert batch.finished.is_set() and batch.error is None


def test_fail_ends_waiting_and_running_batches_and_later_results_are_dropped():
    seen = []
    queue = TaskQueue()
    running = queue.submit([_task("r", "R")], lambda task, raw: seen.append(task.key))
    waiting = queue.submit([_task("w", "W")], lambda task, raw: seen.append(task.key))
    done = queue.submit([_task("d", "D")], lambda task, raw: seen.append(task.key))
    in_flight = queue.take(1, lambda key: 0 if key == "R" else 1)
    queue.deliver(queue.take(1, lambda key: 0 if key == "D" else 1)[0], _raw())
    error = RuntimeError("closed")
    queue.fail(error, in_flight)
    assert running.error is error and waiting.error is error and done.error is None
    assert running.finished.is_set() and waiting.finished.is_set() and not queue
    queue.deliver(in_flight[0], _raw())  # a straggler after the failure
    assert seen == ["d"] and queue.delivered == 1


def test_chunks_are_at_most_half_the_workers_and_shrink_to_one_at_the_tail():
    assert chunk_size(room=16, workers=8, waiting=1000, prefetch=2, ready_workers=16) == 4
    assert chunk_size(room=2, workers=8, waiting=1000, prefetch=2, ready_workers=16) == 2
    assert chunk_size(room=16, workers=8, waiting=6, prefetch=2, ready_workers=16) == 2  # fair share
    assert chunk_size(room=4, workers=2, waiting=1, prefetch=2, ready_workers=4) == 1
    assert chunk_size(room=2, workers=1, waiting=50, prefetch=2, ready_workers=1) == 1  # never zero


def test_test_sets_travel_once_per_actor_until_it_lets_them_go():
    sets, one, two = TestSets(), object(), object()
    a, a2, b = _task("a", "A", tests="xxxx"), _task("a2", "A", tests="xxxx"), _task("b", "B", tests="yy")
    assert sets.rank(one, "A") == 1  # nobody holds it
    assert sets.to_send(one, [a, a2, b]) == {"A": "xxxx", "B": "yy"}
    assert (sets.sent, sets.bytes_sent) == (2, 6)
    assert sets.to_send(one, [a]) == {}
    assert (sets.rank(one, "A"), sets.rank(two, "A")) == (0, 2)
    sets.forget(one, "A")
    assert sets.rank(two, "A") == 1 and sets.to_send(one, [a]) == {"A": "xxxx"}
    sets.drop(one)
    assert sets.rank(two, "A") == 1 and sets.rank(two, "B") == 1 and sets.rank(one, "B") == 1
