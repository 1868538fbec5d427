//! What the Zig programs share, apart from their tasks: the command line
//! (`<TASKS> [--sleep <SECONDS>]`), the launch events for the meter (BENCH_EVENTS), the count of
//! tasks that completed (one counter, nothing per task), and the one line and exit code of an
//! error. Imported by each program's main.zig.
const std = @import("std");
const linux = std.os.linux;

/// Tasks that completed, each counted as it ends.
pub var completed = std.atomic.Value(usize).init(0);

/// One line naming what is wrong, and exit 2.
pub fn usageError(comptime format: []const u8, args: anytype) noreturn {
    std.debug.print("error: " ++ format ++ "\n", args);
    std.process.exit(2);
}

/// One of the OS limits a thread takes a share of: its value and what is in use now.
const Limit = struct {
    name: []const u8,
    value: ?u64,
    used: u64,
    per_thread: u64,
    raise: []const u8,
};

/// The one line of a thread the OS refused, and exit 3: it names the limit nearest to being
/// reached (threads on the machine against kernel.pid_max, kernel.threads-max and ulimit -u;
/// this process's mappings against vm.max_map_count), its value, the value the rest of the
/// tasks need and the command that raises it.
pub fn threadLimitError(started: usize, tasks: usize) noreturn {
    const threads = threadsOnMachine();
    var nproc: linux.rlimit = undefined;
    const nproc_value: ?u64 = if (linux.errno(linux.getrlimit(.NPROC, &nproc)) == .SUCCESS and
        nproc.cur != linux.RLIM.INFINITY) nproc.cur else null;
    const limits = [_]Limit{
        .{ .name = "kernel.pid_max", .value = readNumber("/proc/sys/kernel/pid_max"), .used = threads, .per_thread = 1, .raise = "sysctl -w kernel.pid_max=" },
        .{ .name = "kernel.threads-max", .value = readNumber("/proc/sys/kernel/threads-max"), .used = threads, .per_thread = 1, .raise = "sysctl -w kernel.threads-max=" },
        .{ .name = "vm.max_map_count", .value = readNumber("/proc/sys/vm/max_map_count"), .used = linesOf("/proc/self/maps"), .per_thread = 2, .raise = "sysctl -w vm.max_map_count=" },
        .{ .name = "ulimit -u", .value = nproc_value, .used = threads, .per_thread = 1, .raise = "ulimit -u " },
    };
    var nearest: ?Limit = null;
    for (limits) |limit| {
        const value = limit.value orelse continue;
        const room = value -| limit.used;
        if (nearest == null or room < nearest.?.value.? -| nearest.?.used) nearest = limit;
    }
    const limit = nearest orelse {
        std.debug.print("OS limit: cannot run {d} tasks as threads: thread {d} was refused, and no limit could be read\n", .{ tasks, started + 1 });
        std.process.exit(3);
    };
    const needed = limit.used + (tasks - started) * limit.per_thread;
    const suggested = (needed + needed / 50 + 999) / 1000 * 1000;
    std.debug.print("OS limit: cannot run {d} tasks as threads: thread {d} was refused: {s} is {d}, {d} needed (raise it: {s}{d})\n", .{ tasks, started + 1, limit.name, limit.value.?, needed, limit.raise, suggested });
    std.process.exit(3);
}

/// Threads of every process on the machine now: the total of /proc/loadavg's fourth field.
fn threadsOnMachine() u64 {
    var buffer: [256]u8 = undefined;
    const text = readFile("/proc/loadavg", &buffer);
    var fields = std.mem.tokenizeScalar(u8, text, ' ');
    for (0..3) |_| _ = fields.next();
    const running = fields.next() orelse return 0;
    const slash = std.mem.indexOfScalar(u8, running, '/') orelse return 0;
    return std.fmt.parseInt(u64, running[slash + 1 ..], 10) catch 0;
}

fn readNumber(path: [*:0]const u8) ?u64 {
    var buffer: [64]u8 = undefined;
    const text = std.mem.trim(u8, readFile(path, &buffer), " \n");
    return std.fmt.parseInt(u64, text, 10) catch null;
}

/// Lines of a file read whole, chunk by chunk.
fn linesOf(path: [*:0]const u8) u64 {
    const rc = linux.open(path, .{ .ACCMODE = .RDONLY, .CLOEXEC = true }, 0);
    if (linux.errno(rc) != .SUCCESS) return 0;
    const fd: i32 = @intCast(rc);
    defer _ = linux.close(fd);
    var buffer: [65536]u8 = undefined;
    var lines: u64 = 0;
    while (true) {
        const n = linux.read(fd, &buffer, buffer.len);
        if (linux.errno(n) != .SUCCESS or n == 0) return lines;
        lines += std.mem.count(u8, buffer[0..n], "\n");
    }
}

/// The start of a file, as much of it as `buffer` holds; empty when it cannot be read.
fn readFile(path: [*:0]const u8, buffer: []u8) []const u8 {
    const rc = linux.open(path, .{ .ACCMODE = .RDONLY, .CLOEXEC = true }, 0);
    if (linux.errno(rc) != .SUCCESS) return "";
    const fd: i32 = @intCast(rc);
    defer _ = linux.close(fd);
    const n = linux.read(fd, buffer.ptr, buffer.len);
    if (linux.errno(n) != .SUCCESS) return "";
    return buffer[0..n];
}

pub const Options = struct {
    tasks: usize,
    sleep: std.Io.Duration,
};

/// `<TASKS> [--sleep <SECONDS>]`, TASKS as 100000, 100_000, 100k or 1M.
pub fn parseArgs(args: std.process.Args) Options {
    var it = args.iterate();
    _ = it.next();
    var tasks: ?usize = null;
    var seconds: f64 = 10;
    while (it.next()) |arg| {
        if (std.mem.eql(u8, arg, "--sleep")) {
            const value = it.next() orelse usageError("--sleep takes a number of seconds like 10 or 0.5", .{});
            seconds = parseSleep(value);
        } else if (arg.len > 1 and arg[0] == '-' and !std.ascii.isDigit(arg[1])) {
            usageError("unexpected argument '{s}': see the usage: <TASKS> [--sleep <SECONDS>]", .{arg});
        } else if (tasks != null) {
            usageError("unexpected argument '{s}': give one task count", .{arg});
        } else {
            tasks = parseTasks(arg);
        }
    }
    const count = tasks orelse usageError("missing task count: give a whole number like 100000, 100k or 1M", .{});
    return .{ .tasks = count, .sleep = .fromNanoseconds(@intFromFloat(@round(seconds * 1e9))) };
}

fn parseTasks(text: []const u8) usize {
    if (text.len > 0 and text[0] == '-') {
        usageError("invalid task count '{s}': must not be negative; expected a whole number like 100000, 100k or 1M", .{text});
    }
    var digits: [32]u8 = undefined;
    var len: usize = 0;
    for (text) |c| {
        if (c == '_') continue;
        if (len == digits.len) usageError("invalid task count '{s}': expected a whole number like 100000, 100k or 1M", .{text});
        digits[len] = c;
        len += 1;
    }
    var multiplier: usize = 1;
    if (len > 0 and (digits[len - 1] == 'k' or digits[len - 1] == 'K')) {
        multiplier = 1000;
        len -= 1;
    } else if (len > 0 and digits[len - 1] == 'M') {
        multiplier = 1000000;
        len -= 1;
    }
    const number = digits[0..len];
    for (number) |c| {
        if (!std.ascii.isDigit(c)) usageError("invalid task count '{s}': expected a whole number like 100000, 100k or 1M", .{text});
    }
    const count = std.fmt.parseInt(usize, number, 10) catch
        usageError("invalid task count '{s}': expected a whole number like 100000, 100k or 1M", .{text});
    if (count > std.math.maxInt(i32) / multiplier) {
        usageError("invalid task count '{s}': expected a whole number like 100000, 100k or 1M", .{text});
    }
    return count * multiplier;
}

/// Seconds: digits, then an optional fraction and exponent; no sign, no NaN.
fn parseSleep(text: []const u8) f64 {
    const value = std.fmt.parseFloat(f64, text) catch null;
    if (text.len == 0 or !std.ascii.isDigit(text[0]) or value == null or
        !std.math.isFinite(value.?) or value.? > 1e12)
    {
        usageError("invalid sleep '{s}': expected a number of seconds >= 0 like 10 or 0.5", .{text});
    }
    return value.?;
}

/// The launch events: a line each to the pipe named by BENCH_EVENTS, when it is set.
pub const Events = struct {
    fd: ?i32,

    pub fn open(environ: std.process.Environ) Events {
        const path = environ.getPosix("BENCH_EVENTS") orelse return .{ .fd = null };
        if (path.len == 0) return .{ .fd = null };
        const rc = linux.open(path, .{ .ACCMODE = .WRONLY, .APPEND = true, .CLOEXEC = true }, 0);
        if (linux.errno(rc) != .SUCCESS) {
            std.debug.print("error: cannot open BENCH_EVENTS={s}: {s}\n", .{ path, @tagName(linux.errno(rc)) });
            std.process.exit(1);
        }
        return .{ .fd = @intCast(rc) };
    }

    pub fn start(events: Events, options: Options) void {
        const seconds = @as(f64, @floatFromInt(options.sleep.nanoseconds)) / 1e9;
        events.send("start {d} {d}", .{ options.tasks, seconds });
    }

    pub fn spawned(events: Events, tasks: usize) void {
        events.send("spawned {d}", .{tasks});
    }

    pub fn done(events: Events) void {
        events.send("done {d}", .{completed.load(.monotonic)});
    }

    fn send(events: Events, comptime format: []const u8, args: anytype) void {
        const fd = events.fd orelse return;
        var buffer: [128]u8 = undefined;
        const line = std.fmt.bufPrint(&buffer, format ++ "\n", args) catch unreachable;
        _ = linux.write(fd, line.ptr, line.len);
    }
};
