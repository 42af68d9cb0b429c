// Consumer "c1" as OffsetLab runs it.
// It subscribes as a group member and commits each record synchronously after processing it
// (at-least-once).
// Needs org.apache.kafka:kafka-clients; save as ConsumerApp.java.

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

public class ConsumerApp {
    public static void main(String[] args) {
        Properties props = new Properties();
        // Brokers to contact first; the client finds the others from them.
        props.setProperty("bootstrap.servers", "localhost:9092");
        // The consumer group: members share the partitions, offsets are committed per group.
        props.setProperty("group.id", "app");
        // The application commits (below), so the client must not.
        props.setProperty("enable.auto.commit", "false");
        // Where to start without a valid committed offset.
        props.setProperty("auto.offset.reset", "earliest");
        // No heartbeat for this long and the coordinator evicts the member.
        props.setProperty("session.timeout.ms", "10000");

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
            consumer.subscribe(List.of("events"));
            while (true) {
                // Waits up to 100 ms for records; returns at most max.poll.records (500).
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> record : records) {
                    process(record);
                    // Commit this record alone: the committed offset is the next one to read.
                    consumer.commitSync(Map.of(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException e) {
            // Shutting down.
        } finally {
            // close(): leaves the group at once, so its partitions move without waiting for
            // session.timeout.ms.
            consumer.close();
        }
    }

    static void process(ConsumerRecord<String, String> record) {
        // Your processing goes here; the consumer on screen spends 10 ms per record.
        System.out.printf("%s-%d offset %d: %s%n",
                record.topic(), record.partition(), record.offset(), record.value());
    }
}
