// The article's Go program as printed, for the fidelity runs (scripts/bench.sh --fidelity):
// only the task count and the sleep (seconds, default 10) come from the command line.
package main

import (
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	numRoutines, _ := strconv.Atoi(os.Args[1])
	sleep := 10 * time.Second
	if len(os.Args) > 2 {
		seconds, _ := strconv.ParseFloat(os.Args[2], 64)
		sleep = time.Duration(seconds * float64(time.Second))
	}

	var wg sync.WaitGroup
	for i := 0; i < numRoutines; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(sleep)
		}()
	}
	wg.Wait()
}
