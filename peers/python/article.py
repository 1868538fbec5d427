# The article's Python program as printed (as fixed after it was published: the tasks are
# created before they are awaited), for the fidelity runs (scripts/bench.sh --fidelity): only
# the task count and the sleep (seconds, default 10) come from the command line.
import asyncio
import sys


async def perform_task(sleep):
    await asyncio.sleep(sleep)


async def main(num_tasks, sleep):
    tasks = []

    for task_id in range(num_tasks):
        task = asyncio.create_task(perform_task(sleep))
        tasks.append(task)

    await asyncio.gather(*tasks)


if __name__ == "__main__":
    num_tasks = int(sys.argv[1])
    sleep = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    asyncio.run(main(num_tasks, sleep))
