import java.util.ArrayList;
import java.util.List;

/**
 * The article's Java program with virtual threads: one virtual thread per task, each
 * sleeping, all joined in turn. Changed only as every implementation here is: the task count
 * and the sleep come from the command line, the launch is reported to the meter
 * (BENCH_EVENTS), and the tasks joined are counted. {@code Thread.startVirtualThread} is
 * reached through ../java-support, so that javac 17 compiles it for a JVM of 21 or later.
 */
public class VirtualThreads {

    public static void main(String[] args) throws InterruptedException {
        Bench bench = Bench.start(args);

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bench.tasks; i++) {
            Thread thread = Bench.startVirtualThread(() -> {
                try {
                    bench.sleep();
                } catch (InterruptedException e) {
                    // Handle exception
                }
            });
            threads.add(thread);
        }
        bench.spawned();

        int completed = 0;
        for (Thread thread : threads) {
            thread.join();
            completed++;
        }
        bench.done(completed);
    }
}
