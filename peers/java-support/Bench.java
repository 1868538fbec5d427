import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * What both Java programs share, apart from their tasks: the command line
 * ({@code <TASKS> [--sleep <SECONDS>]}), the launch events for the meter (BENCH_EVENTS), and
 * the one line and exit code of an error. It reads its arguments character by character, with
 * no regular expression, so that it loads nothing the article's program does not.
 */
final class Bench {
    final int tasks;
    final long sleepNanos;
    private final PrintStream events;

    private Bench(int tasks, double sleepSeconds, PrintStream events) {
        this.tasks = tasks;
        this.sleepNanos = Math.round(sleepSeconds * 1e9);
        this.events = events;
        event(new StringBuilder("start ").append(tasks).append(' ').append(sleepSeconds).toString());
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
            } else if (arg.length() > 1 && arg.charAt(0) == '-' && !isDigit(arg.charAt(1))) {
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

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The index past the ASCII digits of {@code text} from {@code at}. */
    private static int digitsFrom(String text, int at) {
        while (at < text.length() && isDigit(text.charAt(at))) at++;
        return at;
    }

    /** Digits, then an optional fraction and exponent: no sign, no NaN, no hexadecimal. */
    private static boolean isPlainNumber(String text) {
        int at = digitsFrom(text, 0);
        if (at == 0) return false;
        if (at < text.length() && text.charAt(at) == '.') at = digitsFrom(text, at + 1);
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) at++;
            int exponent = at;
            at = digitsFrom(text, at);
            if (at == exponent) return false;
        }
        return at == text.length();
    }

    private static double parseSleep(String text) {
        if (isPlainNumber(text.trim())) {
            double sleep = Double.parseDouble(text.trim());
            if (Double.isFinite(sleep)) return sleep;
        }
        usageError("invalid sleep '" + text + "': expected a number of seconds >= 0 like 10 or 0.5");
        return 0;
    }

    private static int parseTasks(String text) {
        String why = text.startsWith("-") ? "must not be negative; " : "";
        String count = text.replace("_", "");
        long multiplier = 1;
        if (count.endsWith("k") || count.endsWith("K")) multiplier = 1000;
        if (count.endsWith("M")) multiplier = 1_000_000;
        if (multiplier > 1) count = count.substring(0, count.length() - 1);
        if (!count.isEmpty() && digitsFrom(count, 0) == count.length()) {
            try {
                return Math.toIntExact(Long.parseLong(count) * multiplier);
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

    /**
     * Writes one line of the launch protocol. Every line is built without {@code +} on
     * strings: javac compiles that into invokedynamic, whose first use starts the JVM's
     * method-handle machinery, about 5 MB the article's program never pays (10,000 virtual
     * threads read 1.07 times the article's program with it, 1.01 without).
     */
    private void event(String line) {
        if (events != null) events.println(line);
    }

    /** Every task has been spawned. */
    void spawned() {
        event("spawned ".concat(String.valueOf(tasks)));
    }

    /** Every task was joined; {@code completed} of them ended well. */
    void done(int completed) {
        event("done ".concat(String.valueOf(completed)));
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
