"""Generates 8 requests x 2 samples with SmolLM2 into a completion store; prints the run's usage.

Run as a script by test_caching.py, which kills it part-way and runs it again.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict

from codesieve.llm import CachingBackend, ChatRequest, Message, open_llm

TASKS = ["add two numbers", "reverse a string", "compute a factorial", "check for a prime",
         "sum a list", "count vowels", "find the maximum", "merge two sorted lists"]


async def main(store: str) -> None:
    async with open_llm("smollm2-135m", store=store, parallel=2, threads=1) as llm:
        assert isinstance(llm, CachingBackend)
        requests = [
            ChatRequest(messages=(Message("user", f"Write a Python function to {task}."),), n=2,
                        temperature=0.8, max_tokens=40, seed=i)
            for i, task in enumerate(TASKS)
        ]
        await llm.generate(requests)
        print(json.dumps(asdict(llm.usage)))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
