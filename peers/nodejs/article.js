// The article's Node.js program as printed, for the fidelity runs (scripts/bench.sh
// --fidelity): only the task count and the sleep (seconds, default 10) come from the command line.
const util = require('util');

const delay = util.promisify(setTimeout);

async function runTasks(numTasks, sleepMs) {
  const tasks = [];

  for (let i = 0; i < numTasks; i++) {
    tasks.push(delay(sleepMs));
  }

  await Promise.all(tasks);
}

const numTasks = parseInt(process.argv[2]);
const sleepSeconds = process.argv.length > 3 ? Number(process.argv[3]) : 10;
runTasks(numTasks, sleepSeconds * 1000);
