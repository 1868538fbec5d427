// What the Go programs share, apart from their tasks: the command line
// (`<TASKS> [--sleep <SECONDS>]`), the launch events for the meter (BENCH_EVENTS), and the one
// line and exit code of an error. Built with each program's main.go.
package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// usageError ends the program with one line naming what is wrong, and exit 2.
func usageError(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "error: "+format+"\n", args...)
	os.Exit(2)
}

// parseArgs reads `<TASKS> [--sleep <SECONDS>]`, TASKS as 100000, 100_000, 100k or 1M.
func parseArgs(args []string) (int, time.Duration) {
	tasks, sleep := -1, 10.0
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "--sleep" && i+1 < len(args):
			i++
			value, err := strconv.ParseFloat(args[i], 64)
			if err != nil || value < 0 || math.IsInf(value, 0) || math.IsNaN(value) {
				usageError("invalid sleep '%s': expected a number of seconds >= 0 like 10 or 0.5", args[i])
			}
			sleep = value
		case arg == "--sleep":
			usageError("--sleep takes a number of seconds like 10 or 0.5")
		case strings.HasPrefix(arg, "-") && len(arg) > 1 && (arg[1] < '0' || arg[1] > '9'):
			usageError("unexpected argument '%s': see the usage: <TASKS> [--sleep <SECONDS>]", arg)
		case tasks >= 0:
			usageError("unexpected argument '%s': give one task count", arg)
		default:
			tasks = parseTasks(arg)
		}
	}
	if tasks < 0 {
		usageError("missing task count: give a whole number like 100000, 100k or 1M")
	}
	return tasks, time.Duration(sleep * float64(time.Second))
}

func parseTasks(text string) int {
	digits, multiplier := strings.ReplaceAll(text, "_", ""), 1
	switch {
	case strings.HasPrefix(text, "-"):
		usageError("invalid task count '%s': must not be negative; expected a whole number like 100000, 100k or 1M", text)
	case strings.HasSuffix(digits, "k") || strings.HasSuffix(digits, "K"):
		digits, multiplier = digits[:len(digits)-1], 1000
	case strings.HasSuffix(digits, "M"):
		digits, multiplier = digits[:len(digits)-1], 1000000
	}
	count, err := strconv.Atoi(digits)
	if err != nil || count < 0 || strings.ContainsAny(digits, "+-") || count > math.MaxInt32/multiplier {
		usageError("invalid task count '%s': expected a whole number like 100000, 100k or 1M", text)
	}
	return count * multiplier
}

// openEvents returns how to tell the meter of the launch: a line each to the pipe named by
// BENCH_EVENTS, or nothing when it is not set.
func openEvents() func(format string, args ...any) {
	path := os.Getenv("BENCH_EVENTS")
	if path == "" {
		return func(string, ...any) {}
	}
	pipe, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot open BENCH_EVENTS=%s: %v\n", path, err)
		os.Exit(1)
	}
	return func(format string, args ...any) {
		fmt.Fprintf(pipe, format+"\n", args...)
	}
}
