import java.util.ArrayList;
import java.util.List;

/**
 * The article's Java program with platform threads: one thread per task, each sleeping, all
 * joined in turn. Changed only as every implementation here is: the task count and the sleep
 * come from the command line, the launch is reported to the meter (BENCH_EVENTS), the tasks
 * joined are counted, and a thread the OS refuses is an OS limit (exit 3). See ../java-support.
 */
public class Threads {

    public static void main(String[] args) throws InterruptedException {
        Bench bench = Bench.start(args);

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bench.tasks; i++) {
            Thread thread = new Thread(() -> {
                try {
                    bench.sleep();
                } catch (InterruptedException e) {
                    // Handle exception
                }
            });
            bench.start(thread, i);
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
