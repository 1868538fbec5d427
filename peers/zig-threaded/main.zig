//! N tasks that each sleep, all awaited in order, on Zig's threaded I/O (std.Io.Threaded,
//! the default `Io` of a program's `main`): each task an `io.concurrent` of a sleep, which
//! gives it a thread of its own, its future kept in a list; a thread the OS refuses ends the
//! run with the one line of an OS limit. The command line, the launch events and the count
//! are ../zig-support/bench.zig's.
const std = @import("std");
const bench = @import("bench.zig");

fn task(io: std.Io, sleep: std.Io.Duration) void {
    io.sleep(sleep, .awake) catch return;
    _ = bench.completed.fetchAdd(1, .monotonic);
}

pub fn main(init: std.process.Init) !void {
    const options = bench.parseArgs(init.minimal.args);
    const io = init.io;
    const events = bench.Events.open(init.minimal.environ);
    events.start(options);

    var tasks: std.ArrayList(std.Io.Future(void)) = .empty;
    for (0..options.tasks) |started| {
        const future = io.concurrent(task, .{ io, options.sleep }) catch
            bench.threadLimitError(started, options.tasks);
        try tasks.append(init.gpa, future);
    }
    events.spawned(options.tasks);

    for (tasks.items) |*future| {
        future.await(io);
    }
    events.done();
}
