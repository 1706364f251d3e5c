package ai.moolai.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.moolai.process.ChildProcess;

/** The memory of another JVM on this machine: resident set from /proc, live heap after a full GC from jcmd. */
final class ProcessMemory {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private final long pid;

    ProcessMemory(long pid) {
        this.pid = pid;
    }

    /**
     * @param rssKb       resident set size
     * @param heapAfterGcKb heap in use right after a full collection
     */
    record Sample(long rssKb, long heapAfterGcKb) {
    }

    Sample sample() throws IOException, InterruptedException {
        jcmd("GC.run");
        jcmd("GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!heap.find()) {
            throw new IllegalStateException("cannot read the heap of " + pid);
        }
        long heapKb = Long.parseLong(heap.group(1));
        long rssKb = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
        return new Sample(rssKb, heapKb);
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        return ChildProcess.run(List.of(ChildProcess.jdkTool("jcmd"), Long.toString(pid), command), Duration.ofSeconds(60));
    }
}
