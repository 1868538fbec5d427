//! N tasks that each sleep, all awaited in order, on Zig's evented I/O (std.Io.Evented: fibers
//! on io_uring): each task an `io.async` of a sleep, its future kept in a list, as the
//! article's programs keep their handles. The command line, the launch events and the count
//! are ../zig-support/bench.zig's.
const std = @import("std");
const bench = @import("bench.zig");

fn task(io: std.Io, sleep: std.Io.Duration) void {
    io.sleep(sleep, .awake) catch return;
    _ = bench.completed.fetchAdd(1, .monotonic);
}

pub fn main(init: std.process.Init) !void {
    const options = bench.parseArgs(init.minimal.args);
    var evented: std.Io.Evented = undefined;
    try evented.init(init.gpa, .{});
    defer evented.deinit();
    const io = evented.io();
    const events = bench.Events.open(init.minimal.environ);
    events.start(options);

    var tasks: std.ArrayList(std.Io.Future(void)) = .empty;
    for (0..options.tasks) |_| {
        try tasks.append(init.gpa, io.async(task, .{ io, options.sleep }));
    }
    events.spawned(options.tasks);

    for (tasks.items) |*future| {
        future.await(io);
    }
    events.done();
}
