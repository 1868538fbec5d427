import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The article's Java program with platform threads as printed, for the fidelity runs
 * (scripts/bench.sh --fidelity): only the task count and the sleep (seconds, default 10) come
 * from the command line.
 */
public class Threads {

    public static void main(String[] args) throws InterruptedException {
        int numTasks = Integer.parseInt(args[0]);
        Duration sleep = Duration.ofMillis(
                args.length > 1 ? Math.round(Double.parseDouble(args[1]) * 1000) : 10_000);

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < numTasks; i++) {
            Thread thread = new Thread(() -> {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    // Handle exception
                }
            });
            thread.start();
            threads.add(thread);
        }

        for (Thread thread : threads) {
            thread.join();
        }
    }
}
