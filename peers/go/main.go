// The article's Go program: one goroutine per task, each sleeping, all awaited with a
// WaitGroup. Changed only as every implementation here is: the task count and the sleep come
// from the command line, the launch is reported to the meter (BENCH_EVENTS), and the tasks
// that completed are counted (../go-support).
package main

import (
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	numRoutines, sleep := parseArgs(os.Args[1:])
	event := openEvents()
	event("start %d %v", numRoutines, sleep.Seconds())

	var wg sync.WaitGroup
	var completed atomic.Int64
	for i := 0; i < numRoutines; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(sleep)
			completed.Add(1)
		}()
	}
	event("spawned %d", numRoutines)
	wg.Wait()
	event("done %d", completed.Load())
}
