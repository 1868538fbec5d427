# The article's Python program, as fixed after it was published (the first one awaited each
# sleep in turn): one asyncio task per coroutine, all awaited with gather. Changed only as
# every implementation here is: the task count and the sleep come from the command line, the
# launch is reported to the meter (BENCH_EVENTS), and the tasks that completed are counted
# (../python-support).
import asyncio
import sys

import bench


async def perform_task(sleep):
    await asyncio.sleep(sleep)


async def main(num_tasks, sleep, event):
    event(f"start {num_tasks} {sleep}")
    tasks = []

    for task_id in range(num_tasks):
        task = asyncio.create_task(perform_task(sleep))
        tasks.append(task)
    event(f"spawned {num_tasks}")

    results = await asyncio.gather(*tasks)
    event(f"done {len(results)}")


if __name__ == "__main__":
    num_tasks, sleep = bench.parse_args(sys.argv[1:])
    asyncio.run(main(num_tasks, sleep, bench.open_events()))
