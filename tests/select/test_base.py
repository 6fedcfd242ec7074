import asyncio

import pytest

from codesieve._aio import gather_or_cancel as gather_all


def test_gather_all_cancels_siblings_when_one_fails():
    finished = []

    async def slow():
        await asyncio.sleep(5)
        finished.append("slow")

    async def boom():
        raise RuntimeError("boom")

    async def go():
        task_count = len(asyncio.all_tasks())
        with pytest.raises(RuntimeError):
            await gather_all(slow(), boom())
        assert len(asyncio.all_tasks()) == task_count  # nothing left running
        assert await gather_all(asyncio.sleep(0, "a"), asyncio.sleep(0, "b")) == ["a", "b"]

    asyncio.run(go())
    assert finished == []
