// The C++ program of Xavorim/cpp_tasks_bench on Asio: a vector of awaitables that each wait
// on a steady_timer, each co_spawned detached on one io_context, run until all are done. Its
// standalone Asio is Boost.Asio here (Debian's libboost1.81-dev), named asio. Changed only as
// every implementation here is: the task count and the sleep come from the
// command line, the launch is reported to the meter (BENCH_EVENTS), and the tasks that
// completed are counted (../cpp-support; the program as published: article/main.cpp).
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ranges>
#include <vector>

namespace asio = boost::asio;

#include "bench.hpp"

asio::awaitable<void> async_sleep(auto s) {
    asio::steady_timer timer(co_await asio::this_coro::executor, s);
    co_await timer.async_wait(asio::deferred);
    bench::completed++;
}

int main(int argc, char **argv) {
    auto [num_tasks, sleep] = bench::parse_args(argc, argv);
    bench::Events events;
    events.start(num_tasks, sleep);

    asio::io_context ctx{static_cast<int>(std::thread::hardware_concurrency())};

    std::vector<asio::awaitable<void>> tasks;

    for (auto i : std::views::iota(std::size_t{0}, num_tasks)) {
        tasks.push_back(async_sleep(sleep));
    }

    for (auto &&task : tasks) {
        asio::co_spawn(ctx, std::move(task), asio::detached);
    }
    events.spawned(num_tasks);
    ctx.run();
    events.done();
}
