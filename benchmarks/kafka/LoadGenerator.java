// The kafka-e2e load generator: produces JSON transactions from a pool file written by
// the TypeScript side (the seeded generator's rows) into a topic's partitions, at a fixed
// rate (`live`) or a fixed count as fast as it can (`fill`), stamps every record of a tick
// with the tick's wall-clock ms as its Kafka timestamp, writes the produce log (flat
// little-endian doubles: ts, partition, window start, records) and prints one JSON line.
//
// It exists because kafkajs spends about 13 us of CPU per 100-byte record (measured here),
// so producing 100k records/s with it takes 1.3 of the machine's 2 cores away from the
// engine under test; the Java client (kafka-clients from the broker's own jars) needs
// about a third of that. The runner compiles it with javac into a cache folder.
//
// Records are made in ticks of TICK_MS: each tick computes how many records are due since
// the start (rate x elapsed), stamps them all with the tick's wall-clock ms, spreads them
// round-robin over the partitions and hands them to the producer (linger.ms 0, acks all).
// The produce timestamp is the moment a record was handed to the client; a generator that
// falls behind its rate (a tick makes at most 20 ms worth of records, so it never catches
// up in a burst) stops at the end of its time with achievedRate < rate, and a long
// sendP99Ms (send -> ack) shows a slow broker.
//
//   LoadGenerator <live|fill> BOOTSTRAP TOPIC PARTITIONS(0,1) RATE SECONDS RECORDS POOL_FILE LOG_FILE FIRST TICK_MS
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class LoadGenerator {
  static final long WINDOW_MS = 60_000L;
  static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0], bootstrap = args[1], topic = args[2];
    int[] partitions = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
    double rate = Double.parseDouble(args[4]);
    double seconds = Double.parseDouble(args[5]);
    long records = Long.parseLong(args[6]);
    String poolFile = args[7], logFile = args[8];
    long k = Long.parseLong(args[9]);
    long tickMs = Long.parseLong(args[10]);

    List<String> heads = new ArrayList<>();
    List<Long> delays = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new FileReader(poolFile, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        int tab = line.indexOf('\t');
        delays.add(Long.parseLong(line.substring(0, tab)));
        heads.add(line.substring(tab + 1));
      }
    }
    int pool = heads.size();

    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("acks", "all");
    p.put("linger.ms", "0");
    p.put("batch.size", "65536");
    p.put("enable.idempotence", "false");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("compression.type", "none");
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
    producer.partitionsFor(topic); // metadata before the clock starts

    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicInteger acked = new AtomicInteger();
    double[] log = new double[4 * 4096];
    int logLen = 0;
    List<Map<Long, Integer>> tickCounts = new ArrayList<>();
    for (int s = 0; s < partitions.length; s++) tickCounts.add(new HashMap<>());
    long[] ackNanos = new long[1 << 20];
    AtomicInteger ackN = new AtomicInteger();

    long start = System.nanoTime();
    long startWall = System.currentTimeMillis();
    long sent = 0;
    long cpu0 = processCpuNanos();
    long target = mode.equals("live") ? (long) Math.floor(rate * seconds) : records;
    long durationNs = (long) (seconds * 1e9);
    for (long tick = 1; sent < target && failure.get() == null; tick++) {
      if (mode.equals("live") && System.nanoTime() - start >= durationNs) break;
      long elapsedNs = System.nanoTime() - start;
      // A tick makes at most 20 ms worth of records: when the generator falls behind (the
      // producer's buffer is full, or the process got no CPU), it does not make up the gap
      // in one burst stamped with one timestamp; it produces what it can, stamped when made,
      // and the run shows achievedRate < rate.
      long due = mode.equals("live")
          ? Math.min(Math.max(1, (long) (rate / 50)), Math.min(target, (long) Math.floor(rate * elapsedNs / 1e9)) - sent)
          : Math.min(2000, target - sent);
      if (due > 0) {
        long ts = System.currentTimeMillis();
        String iso = null;
        for (long i = 0; i < due; i++, k++) {
          int slot = (int) (k % partitions.length);
          int row = (int) (k % pool);
          long event = ts - delays.get(row);
          String json = heads.get(row) + ISO.format(Instant.ofEpochMilli(event)) + "\"}";
          long w = Math.floorDiv(event, WINDOW_MS) * WINDOW_MS;
          tickCounts.get(slot).merge(w, 1, Integer::sum);
          final long sentAt = System.nanoTime();
          producer.send(new ProducerRecord<>(topic, partitions[slot], ts, null, json.getBytes(StandardCharsets.UTF_8)), (md, e) -> {
            if (e != null) failure.compareAndSet(null, e);
            else {
              acked.incrementAndGet();
              int n = ackN.getAndIncrement();
              ackNanos[n & (ackNanos.length - 1)] = System.nanoTime() - sentAt;
            }
          });
        }
        for (int s = 0; s < partitions.length; s++) {
          for (Map.Entry<Long, Integer> e : tickCounts.get(s).entrySet()) {
            if (4 * (logLen + 1) > log.length) log = Arrays.copyOf(log, log.length * 2);
            log[4 * logLen] = ts;
            log[4 * logLen + 1] = partitions[s];
            log[4 * logLen + 2] = e.getKey();
            log[4 * logLen + 3] = e.getValue();
            logLen++;
          }
          tickCounts.get(s).clear();
        }
        sent += due;
      }
      if (mode.equals("live")) {
        long waitNs = start + tick * tickMs * 1_000_000L - System.nanoTime();
        if (waitNs > 0) Thread.sleep(waitNs / 1_000_000L, (int) (waitNs % 1_000_000L));
      }
    }
    producer.flush();
    double secs = (System.nanoTime() - start) / 1e9;
    long cpuNs = processCpuNanos() - cpu0;
    producer.close();
    ByteBuffer buf = ByteBuffer.allocate(8 * 4 * logLen).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4 * logLen; i++) buf.putDouble(log[i]);
    try (FileOutputStream out = new FileOutputStream(logFile)) {
      out.write(buf.array());
    }
    int n = Math.min(ackN.get(), ackNanos.length);
    long[] lat = Arrays.copyOf(ackNanos, n);
    Arrays.sort(lat);
    double p50 = n == 0 ? -1 : lat[Math.max(0, (int) Math.ceil(0.5 * n) - 1)] / 1e6;
    double p99 = n == 0 ? -1 : lat[Math.max(0, (int) Math.ceil(0.99 * n) - 1)] / 1e6;
    Exception f = failure.get();
    System.out.printf(
        "{\"mode\":\"%s\",\"generator\":\"java\",\"partitions\":%s,\"records\":%d,\"acked\":%d,\"startWallMs\":%d,\"seconds\":%.3f,"
            + "\"achievedRate\":%.0f,\"sendP50Ms\":%.2f,\"sendP99Ms\":%.2f,\"cpuSeconds\":%.2f,\"error\":%s}%n",
        mode, Arrays.toString(partitions).replace(" ", ""), sent, acked.get(), startWall, secs, sent / secs, p50, p99, cpuNs / 1e9,
        f == null ? "null" : "\"" + f.toString().replace("\"", "'") + "\"");
    System.exit(f == null ? 0 : 1);
  }
}
