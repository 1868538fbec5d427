// What the C++ programs share, apart from their tasks: the command line
// (`<TASKS> [--sleep <SECONDS>]`), the launch events for the meter (BENCH_EVENTS), the count
// of tasks that completed (one counter, nothing per task), and the one line and exit code of
// an error. Included by each program's main.cpp.
#pragma once

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace bench {

// Tasks that completed, each counted as it ends.
inline std::size_t completed = 0;

// One line naming what is wrong, and exit 2.
[[noreturn]] inline void usage_error(const std::string &message) {
    std::fprintf(stderr, "error: %s\n", message.c_str());
    std::exit(2);
}

// TASKS as 100000, 100_000, 100k or 1M.
inline std::size_t parse_tasks(const std::string &text) {
    std::string digits;
    for (char c : text) {
        if (c != '_') digits += c;
    }
    std::size_t multiplier = 1;
    if (!text.empty() && text[0] == '-') {
        usage_error("invalid task count '" + text +
                    "': must not be negative; expected a whole number like 100000, 100k or 1M");
    }
    if (!digits.empty() && (digits.back() == 'k' || digits.back() == 'K')) {
        digits.pop_back();
        multiplier = 1000;
    } else if (!digits.empty() && digits.back() == 'M') {
        digits.pop_back();
        multiplier = 1000000;
    }
    bool whole = !digits.empty() && digits.size() <= 10;
    for (char c : digits) whole = whole && c >= '0' && c <= '9';
    unsigned long long count = whole ? std::strtoull(digits.c_str(), nullptr, 10) : 0;
    if (!whole || count > 2147483647ULL / multiplier) {
        usage_error("invalid task count '" + text + "': expected a whole number like 100000, 100k or 1M");
    }
    return static_cast<std::size_t>(count * multiplier);
}

// Seconds: digits, then an optional fraction and exponent; no sign, no NaN.
inline double parse_sleep(const std::string &text) {
    const char *start = text.c_str();
    char *end = nullptr;
    errno = 0;
    double value = std::strtod(start, &end);
    bool number = !text.empty() && text[0] >= '0' && text[0] <= '9' && *end == '\0' &&
                  errno == 0 && std::isfinite(value) && value < 1e12;
    if (!number) {
        usage_error("invalid sleep '" + text + "': expected a number of seconds >= 0 like 10 or 0.5");
    }
    return value;
}

struct Options {
    std::size_t tasks;
    std::chrono::nanoseconds sleep;
};

// `<TASKS> [--sleep <SECONDS>]`.
inline Options parse_args(int argc, char **argv) {
    bool have_tasks = false;
    Options options{0, std::chrono::seconds(10)};
    for (int i = 1; i < argc; i++) {
        std::string arg = argv[i];
        if (arg == "--sleep") {
            if (++i >= argc) usage_error("--sleep takes a number of seconds like 10 or 0.5");
            options.sleep = std::chrono::nanoseconds(
                static_cast<long long>(std::llround(parse_sleep(argv[i]) * 1e9)));
        } else if (arg.size() > 1 && arg[0] == '-' && (arg[1] < '0' || arg[1] > '9')) {
            usage_error("unexpected argument '" + arg + "': see the usage: <TASKS> [--sleep <SECONDS>]");
        } else if (have_tasks) {
            usage_error("unexpected argument '" + arg + "': give one task count");
        } else {
            options.tasks = parse_tasks(arg);
            have_tasks = true;
        }
    }
    if (!have_tasks) usage_error("missing task count: give a whole number like 100000, 100k or 1M");
    return options;
}

// The launch events: a line each to the pipe named by BENCH_EVENTS, when it is set.
class Events {
  public:
    Events() {
        const char *path = std::getenv("BENCH_EVENTS");
        if (path == nullptr || *path == '\0') return;
        pipe_ = std::fopen(path, "a");
        if (pipe_ == nullptr) {
            std::fprintf(stderr, "error: cannot open BENCH_EVENTS=%s: %s\n", path, std::strerror(errno));
            std::exit(1);
        }
    }
    void start(std::size_t tasks, std::chrono::nanoseconds sleep) {
        send("start %zu %.9g", tasks, std::chrono::duration<double>(sleep).count());
    }
    void spawned(std::size_t tasks) { send("spawned %zu", tasks); }
    void done() { send("done %zu", completed); }

  private:
    template <typename... Args> void send(const char *format, Args... args) {
        if (pipe_ == nullptr) return;
        std::fprintf(pipe_, format, args...);
        std::fputc('\n', pipe_);
        std::fflush(pipe_);
    }
    std::FILE *pipe_ = nullptr;
};

} // namespace bench
