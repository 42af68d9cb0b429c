# Consumer "c1" as OffsetLab runs it.
# It subscribes as a group member and commits each record synchronously after processing it
# (at-least-once).
# Needs confluent-kafka (pip install confluent-kafka), which takes librdkafka's property names:
# they differ from Java's in places.

from confluent_kafka import Consumer, KafkaException

CONFIG = {
    # Brokers to contact first; the client finds the others from them.
    "bootstrap.servers": "localhost:9092",
    # The consumer group: members share the partitions, offsets are committed per group.
    "group.id": "app",
    # The application commits (below), so the client must not.
    "enable.auto.commit": False,
    # Where to start without a valid committed offset.
    "auto.offset.reset": "earliest",
    # No heartbeat for this long and the coordinator evicts the member.
    "session.timeout.ms": 10000,
}

# max.poll.records = 500 (Kafka's default): librdkafka has no such property;
# consume(num_messages=...) caps each batch.
MAX_POLL_RECORDS = 500
POLL_TIMEOUT_S = 0.1


def process(msg):
    # Your processing goes here; the consumer on screen spends 10 ms per record.
    print(f"{msg.topic()}-{msg.partition()} offset {msg.offset()}: {msg.value()!r}")


def main():
    consumer = Consumer(CONFIG)
    try:
        consumer.subscribe(["events"])
        while True:
            # Like Java's poll(): waits up to the timeout, returns at most MAX_POLL_RECORDS.
            msgs = consumer.consume(num_messages=MAX_POLL_RECORDS, timeout=POLL_TIMEOUT_S)
            for msg in msgs:
                if msg.error():
                    raise KafkaException(msg.error())
                process(msg)
                # Commit this record alone: librdkafka commits its offset + 1, the next one to read.
                consumer.commit(message=msg, asynchronous=False)
    except KeyboardInterrupt:
        pass
    finally:
        # close(): leaves the group at once, so its partitions move without waiting for
        # session.timeout.ms.
        consumer.close()


if __name__ == "__main__":
    main()
