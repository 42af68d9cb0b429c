# Consumer "report \"eu\\west\"" as OffsetLab runs it.
# It assigns itself its partitions (no group membership) and commits synchronously after processing
# each batch (at-least-once).
# Needs confluent-kafka (pip install confluent-kafka), which takes librdkafka's property names:
# they differ from Java's in places.

from confluent_kafka import Consumer, KafkaException, TopicPartition

CONFIG = {
    # Brokers to contact first; the client finds the others from them.
    "bootstrap.servers": "localhost:9092",
    # assign() uses no group management: the group is only where offsets are committed.
    "group.id": "reporting",
    # The application commits (below), so the client must not.
    "enable.auto.commit": False,
    # Where to start without a valid committed offset.
    # Java's "none": consuming returns an error instead of resetting.
    "auto.offset.reset": "error",
    # Longest the broker holds a fetch while waiting for fetch.min.bytes.
    # Java's fetch.max.wait.ms.
    "fetch.wait.max.ms": 1000,
    # Least data the broker waits for before it answers a fetch.
    # librdkafka accepts 1..100000000 here; Java's value was 0.
    "fetch.min.bytes": 1,
    # Longest gap between poll() calls before the client leaves the group.
    "max.poll.interval.ms": 20000,
    # Assignors, in order of preference.
    # librdkafka has no eager sticky assignor: cooperative-sticky is its sticky one, and it
    # rebalances incrementally.
    "partition.assignment.strategy": "cooperative-sticky",
    # How long the client waits for a broker's answer.
    # librdkafka's request.timeout.ms is a producer property; socket.timeout.ms is its timeout for
    # network requests.
    "socket.timeout.ms": 20000,
    # librdkafka needs max.poll.interval.ms >= session.timeout.ms: lowered from 45000 to keep
    # max.poll.interval.ms.
    "session.timeout.ms": 20000,
}

# max.poll.records = 10: librdkafka has no such property; consume(num_messages=...) caps each batch.
MAX_POLL_RECORDS = 10
POLL_TIMEOUT_S = 0.25


def process(msg):
    # Your processing goes here; the consumer on screen spends 50 ms per record.
    print(f"{msg.topic()}-{msg.partition()} offset {msg.offset()}: {msg.value()!r}")


def main():
    consumer = Consumer(CONFIG)
    try:
        # No group membership: no rebalances, these partitions only.
        consumer.assign([TopicPartition("orders", 1), TopicPartition("주문", 2)])
        while True:
            # Like Java's poll(): waits up to the timeout, returns at most MAX_POLL_RECORDS.
            msgs = consumer.consume(num_messages=MAX_POLL_RECORDS, timeout=POLL_TIMEOUT_S)
            for msg in msgs:
                if msg.error():
                    raise KafkaException(msg.error())
                process(msg)
            # After processing: at-least-once. Commits the offsets after the records consume()
            # returned.
            # (commit() with nothing new to commit raises, hence the check.)
            if msgs:
                consumer.commit(asynchronous=False)
    except KeyboardInterrupt:
        pass
    finally:
        # close(): releases the connections.
        consumer.close()


if __name__ == "__main__":
    main()
