//! Kafka's ConsumerProtocol bytes, as DescribeGroups returns them for each
//! member of a `consumer` group: the subscription (member metadata) and the
//! assignment. Formats from Kafka's `ConsumerProtocolSubscription.json` and
//! `ConsumerProtocolAssignment.json` (versions 0–3; none are flexible).
//!
//! Bytes come from the network: every read is checked and a short or odd
//! buffer is `None`, never a panic.

use offsetlab_protocol::TopicPartition;

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Some(head)
    }

    fn i16(&mut self) -> Option<i16> {
        Some(i16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }

    fn i32(&mut self) -> Option<i32> {
        Some(i32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    fn string(&mut self) -> Option<String> {
        let len = usize::try_from(self.i16()?).ok()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }

    /// An array length; null (-1) reads as empty.
    fn array_len(&mut self) -> Option<usize> {
        let len = self.i32()?;
        if len < 0 {
            return Some(0);
        }
        let len = usize::try_from(len).ok()?;
        // Each element takes at least two bytes: a length this large is a
        // corrupt buffer, not a reason to allocate.
        (len <= self.bytes.len()).then_some(len)
    }

    fn topic_partitions(&mut self) -> Option<Vec<TopicPartition>> {
        let mut out = Vec::new();
        for _ in 0..self.array_len()? {
            let topic = self.string()?;
            for _ in 0..self.array_len()? {
                out.push(TopicPartition::new(topic.clone(), self.i32()?));
            }
        }
        Some(out)
    }
}

/// The topics a member subscribed to.
pub fn subscription_topics(bytes: &[u8]) -> Option<Vec<String>> {
    let mut reader = Reader { bytes };
    let version = reader.i16()?;
    if version < 0 {
        return None;
    }
    let mut topics = Vec::new();
    for _ in 0..reader.array_len()? {
        topics.push(reader.string()?);
    }
    Some(topics)
}

/// The partitions the leader assigned to a member.
pub fn assignment_partitions(bytes: &[u8]) -> Option<Vec<TopicPartition>> {
    let mut reader = Reader { bytes };
    let version = reader.i16()?;
    if version < 0 {
        return None;
    }
    reader.topic_partitions()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds bytes as Kafka's generated serializers write them.
    #[derive(Default)]
    struct Writer(Vec<u8>);

    impl Writer {
        fn i16(mut self, v: i16) -> Self {
            self.0.extend_from_slice(&v.to_be_bytes());
            self
        }
        fn i32(mut self, v: i32) -> Self {
            self.0.extend_from_slice(&v.to_be_bytes());
            self
        }
        fn string(self, s: &str) -> Self {
            let mut w = self.i16(i16::try_from(s.len()).unwrap());
            w.0.extend_from_slice(s.as_bytes());
            w
        }
    }

    #[test]
    fn subscription_v0_to_v3() {
        // v0: topics, user_data (null).
        let v0 = Writer::default().i16(0).i32(2).string("orders").string("payments").i32(-1).0;
        assert_eq!(subscription_topics(&v0), Some(vec!["orders".to_string(), "payments".to_string()]));
        // v3: topics, user_data, owned_partitions, generation_id, rack_id.
        let v3 = Writer::default()
            .i16(3)
            .i32(1)
            .string("orders")
            .i32(-1)
            .i32(1)
            .string("orders")
            .i32(2)
            .i32(0)
            .i32(1)
            .i32(5)
            .i16(-1)
            .0;
        assert_eq!(subscription_topics(&v3), Some(vec!["orders".to_string()]));
    }

    #[test]
    fn assignment_v0_and_v1() {
        let bytes = Writer::default()
            .i16(1)
            .i32(2)
            .string("orders")
            .i32(2)
            .i32(0)
            .i32(2)
            .string("payments")
            .i32(1)
            .i32(3)
            .i32(-1)
            .0;
        assert_eq!(
            assignment_partitions(&bytes),
            Some(vec![
                TopicPartition::new("orders", 0),
                TopicPartition::new("orders", 2),
                TopicPartition::new("payments", 3)
            ])
        );
        let empty = Writer::default().i16(0).i32(0).i32(-1).0;
        assert_eq!(assignment_partitions(&empty), Some(vec![]));
    }

    #[test]
    fn short_or_corrupt_bytes_are_none() {
        assert_eq!(subscription_topics(&[]), None);
        assert_eq!(subscription_topics(&[0]), None);
        assert_eq!(assignment_partitions(&[0, 0, 0, 0, 0, 1, 0, 9, b'o']), None);
        // A count of 2^31-1 topics in a 10-byte buffer.
        assert_eq!(subscription_topics(&[0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]), None);
        assert_eq!(assignment_partitions(&[0xff, 0xff]), None);
        // Invalid UTF-8 in a topic name.
        assert_eq!(subscription_topics(&[0, 0, 0, 0, 0, 1, 0, 1, 0xff]), None);
    }
}
