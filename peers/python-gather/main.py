# The article's Python program with the coroutines passed to gather as they are, a variant its
# readers proposed: gather wraps each in a task itself. Otherwise ../python/main.py: the task
# count and the sleep come from the command line, the launch is reported to the meter
# (BENCH_EVENTS), and the tasks that completed are counted (../python-support).
import asyncio
import sys

import bench


async def perform_task(sleep):
    await asyncio.sleep(sleep)


async def main(num_tasks, sleep, event):
    event(f"start {num_tasks} {sleep}")
    coroutines = [perform_task(sleep) for task_id in range(num_tasks)]
    gathering = asyncio.gather(*coroutines)
    event(f"spawned {num_tasks}")

    results = await gathering
    event(f"done {len(results)}")


if __name__ == "__main__":
    num_tasks, sleep = bench.parse_args(sys.argv[1:])
    asyncio.run(main(num_tasks, sleep, bench.open_events()))
