// The article's Node.js program: one promise per task, each a promisified setTimeout, all
// awaited with Promise.all. Changed only as every implementation here is: the task count and
// the sleep come from the command line, the launch is reported to the meter (BENCH_EVENTS),
// and the tasks that completed are counted, from the array of results Promise.all makes
// anyway, so that nothing is added per task (the article's program as printed: article.js).
const util = require('util');
const fs = require('fs');

const delay = util.promisify(setTimeout);

async function runTasks(numTasks, sleepMs, event) {
  const tasks = [];

  for (let i = 0; i < numTasks; i++) {
    tasks.push(delay(sleepMs));
  }
  event(`spawned ${numTasks}`);

  const completed = await Promise.all(tasks);
  event(`done ${completed.length}`);
}

// One line naming what is wrong, and exit 2.
function usageError(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

// `<TASKS> [--sleep <SECONDS>]`, TASKS as 100000, 100_000, 100k or 1M.
function parseArgs(args) {
  let tasks = null;
  let sleep = 10;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--sleep') {
      if (i + 1 >= args.length) usageError('--sleep takes a number of seconds like 10 or 0.5');
      const text = args[++i];
      sleep = /^\s*\d+(\.\d*)?(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(sleep)) {
        usageError(`invalid sleep '${text}': expected a number of seconds >= 0 like 10 or 0.5`);
      }
    } else if (/^-[^0-9]/.test(arg)) {
      usageError(`unexpected argument '${arg}': see the usage: <TASKS> [--sleep <SECONDS>]`);
    } else if (tasks !== null) {
      usageError(`unexpected argument '${arg}': give one task count`);
    } else {
      tasks = parseTasks(arg);
    }
  }
  if (tasks === null) usageError('missing task count: give a whole number like 100000, 100k or 1M');
  return [tasks, sleep];
}

function parseTasks(text) {
  const why = text.startsWith('-') ? 'must not be negative; ' : '';
  const match = /^(\d+)([kKM]?)$/.exec(text.replace(/_/g, ''));
  const count = match && Number(match[1]) * { '': 1, k: 1e3, K: 1e3, M: 1e6 }[match[2]];
  if (!match || !Number.isSafeInteger(count)) {
    usageError(`invalid task count '${text}': ${why}expected a whole number like 100000, 100k or 1M`);
  }
  return count;
}

// How to tell the meter of the launch: a line each to the pipe named by BENCH_EVENTS.
function openEvents() {
  const path = process.env.BENCH_EVENTS;
  if (!path) return () => {};
  const fd = fs.openSync(path, 'a');
  return (line) => fs.writeSync(fd, `${line}\n`);
}

const [numTasks, sleep] = parseArgs(process.argv.slice(2));
const event = openEvents();
event(`start ${numTasks} ${sleep}`);

runTasks(numTasks, sleep * 1000, event).catch((error) => {
  console.error('Error:', error);
  process.exit(1);
});
