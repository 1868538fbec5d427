import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What both Java programs share, apart from their tasks: the command line
 * ({@code <TASKS> [--sleep <SECONDS>]}), the launch events for the meter (BENCH_EVENTS), and
 * the one line and exit code of an error.
 */
final class Bench {
    final int tasks;
    final long sleepNanos;
    private final PrintStream events;

    private Bench(int tasks, double sleepSeconds, PrintStream events) {
        this.tasks = tasks;
        this.sleepNanos = Math.round(sleepSeconds * 1e9);
        this.events = events;
        event("start " + tasks + " " + sleepSeconds);
    }

    /** Parses the command line, opens the events pipe and says the launch begins. */
    static Bench start(String[] args) {
        Integer tasks = null;
        double sleep = 10;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--sleep")) {
                if (++i >= args.length) usageError("--sleep takes a number of seconds like 10 or 0.5");
                sleep = parseSleep(args[i]);
            } else if (arg.matches("-[^0-9].*")) {
                usageError("unexpected argument '" + arg + "': see the usage: <TASKS> [--sleep <SECONDS>]");
            } else if (tasks != null) {
                usageError("unexpected argument '" + arg + "': give one task count");
            } else {
                tasks = parseTasks(arg);
            }
        }
        if (tasks == null) usageError("missing task count: give a whole number like 100000, 100k or 1M");
        return new Bench(tasks, sleep, openEvents());
    }

    private static double parseSleep(String text) {
        if (text.matches("\\s*[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?\\s*")) {
            double sleep = Double.parseDouble(text.trim());
            if (Double.isFinite(sleep)) return sleep;
        }
        usageError("invalid sleep '" + text + "': expected a number of seconds >= 0 like 10 or 0.5");
        return 0;
    }

    private static int parseTasks(String text) {
        String why = text.startsWith("-") ? "must not be negative; " : "";
        Matcher match = Pattern.compile("([0-9]+)([kKM]?)").matcher(text.replace("_", ""));
        if (match.matches()) {
            long multiplier = match.group(2).isEmpty() ? 1 : match.group(2).equals("M") ? 1_000_000 : 1000;
            try {
                return Math.toIntExact(Long.parseLong(match.group(1)) * multiplier);
            } catch (ArithmeticException | NumberFormatException tooLarge) {
                why = "too large; ";
            }
        }
        usageError("invalid task count '" + text + "': " + why + "expected a whole number like 100000, 100k or 1M");
        return 0;
    }

    private static PrintStream openEvents() {
        String path = System.getenv("BENCH_EVENTS");
        if (path == null || path.isEmpty()) return null;
        try {
            return new PrintStream(new FileOutputStream(path, true), true);
        } catch (IOException e) {
            System.err.println("error: cannot open BENCH_EVENTS=" + path + ": " + e.getMessage());
            System.exit(1);
            return null;
        }
    }

    private void event(String line) {
        if (events != null) events.println(line);
    }

    /** Every task has been spawned. */
    void spawned() {
        event("spawned " + tasks);
    }

    /** Every task was joined; {@code completed} of them ended well. */
    void done(int completed) {
        event("done " + completed);
    }

    /** Starts the platform thread of task {@code index}; when the OS refuses it, exit 3. */
    void start(Thread thread, int index) {
        try {
            thread.start();
        } catch (OutOfMemoryError refused) {
            System.err.println("error: OS limit: the OS refused thread " + (index + 1) + " of " + tasks
                    + ": " + refused.getMessage() + " (see kernel.pid_max, kernel.threads-max, vm.max_map_count)");
            System.exit(3);
        }
    }

    /**
     * {@code Thread.startVirtualThread}, reached by reflection so that javac 17 compiles it:
     * the JVM that runs it must be Java 21 or later.
     */
    static Thread startVirtualThread(Runnable task) {
        try {
            return (Thread) START_VIRTUAL_THREAD.invoke(null, task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Method START_VIRTUAL_THREAD = findStartVirtualThread();

    private static Method findStartVirtualThread() {
        try {
            return Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException olderThan21) {
            return null;
        }
    }

    /** Sleeps as the article's tasks do, for the sleep asked. */
    void sleep() throws InterruptedException {
        Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
    }

    private static void usageError(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }
}
