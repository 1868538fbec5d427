// The Asio program of Xavorim/cpp_tasks_bench as published, for the fidelity runs
// (scripts/bench.sh --fidelity): only the sleep (seconds, default 10) comes from the command
// line beside the task count, and its standalone Asio is Boost.Asio, named asio.
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ranges>
#include <vector>

namespace asio = boost::asio;

asio::awaitable<void> async_sleep(auto s) {
    asio::steady_timer timer(co_await asio::this_coro::executor, s);
    co_await timer.async_wait(asio::deferred);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr,
                "Please specify the number of tasks\n"
                "Example: %s 10000\n",
                argv[0]);
        return EXIT_FAILURE;
    }

    asio::io_context ctx{static_cast<int>(std::thread::hardware_concurrency())};

    std::vector<asio::awaitable<void>> tasks;

    auto sleep = std::chrono::duration<double>(argc > 2 ? std::atof(argv[2]) : 10.0);
    for (auto i : std::views::iota(0, std::stoi(argv[1]))) {
        tasks.push_back(async_sleep(std::chrono::duration_cast<std::chrono::nanoseconds>(sleep)));
    }

    for (auto &&task : tasks) {
        asio::co_spawn(ctx, std::move(task), asio::detached);
    }
    ctx.run();
}
