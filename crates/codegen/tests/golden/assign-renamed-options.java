// Consumer "report \"eu\\west\"" as OffsetLab runs it.
// It assigns itself its partitions (no group membership) and commits synchronously after processing
// each batch (at-least-once).
// Needs org.apache.kafka:kafka-clients; save as ConsumerApp.java.

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

public class ConsumerApp {
    public static void main(String[] args) {
        Properties props = new Properties();
        // Brokers to contact first; the client finds the others from them.
        props.setProperty("bootstrap.servers", "localhost:9092");
        // assign() uses no group management: the group is only where offsets are committed.
        props.setProperty("group.id", "reporting");
        // The application commits (below), so the client must not.
        props.setProperty("enable.auto.commit", "false");
        // Where to start without a valid committed offset.
        props.setProperty("auto.offset.reset", "none");
        // Longest the broker holds a fetch while waiting for fetch.min.bytes.
        props.setProperty("fetch.max.wait.ms", "1000");
        // Least data the broker waits for before it answers a fetch.
        props.setProperty("fetch.min.bytes", "0");
        // Longest gap between poll() calls before the client leaves the group.
        props.setProperty("max.poll.interval.ms", "20000");
        // Most records one poll() returns.
        props.setProperty("max.poll.records", "10");
        // Assignors, in order of preference.
        props.setProperty("partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.StickyAssignor");
        // How long the client waits for a broker's answer.
        props.setProperty("request.timeout.ms", "20000");

        // Keys and values as text; other types need other deserializers.
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        // On Ctrl+C: wakeup() makes a blocked poll() throw WakeupException, so the loop
        // ends and close() runs on this thread (the consumer is not thread-safe).
        Thread mainThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.wakeup();
            try {
                mainThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));

        try {
            // No group membership: no rebalances, these partitions only.
            consumer.assign(List.of(
                    new TopicPartition("orders", 1),
                    new TopicPartition("\uc8fc\ubb38", 2)
            ));
            while (true) {
                // Waits up to 250 ms for records; returns at most max.poll.records (10).
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(250));
                for (ConsumerRecord<String, String> record : records) {
                    process(record);
                }
                // After processing: at-least-once. Commits the positions of every assigned
                // partition.
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // Shutting down.
        } finally {
            // close(): releases the connections.
            consumer.close();
        }
    }

    static void process(ConsumerRecord<String, String> record) {
        // Your processing goes here; the consumer on screen spends 50 ms per record.
        System.out.printf("%s-%d offset %d: %s%n",
                record.topic(), record.partition(), record.offset(), record.value());
    }
}
