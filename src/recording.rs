//! Recordings: a session's event timeline as a file (JSON Lines: a header,
//! then one protocol `Event` per line), so a run, offline or from a live
//! cluster, can be shown again anywhere without its source.

use offsetlab_protocol::{Event, PROTOCOL_VERSION};
use serde::{Deserialize, Serialize};

/// The first line of a recording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The recording format's version.
    pub offsetlab_recording: u32,
    pub protocol_version: u32,
    pub name: String,
    #[serde(default)]
    pub name_ko: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub description_ko: Option<String>,
}

pub const FORMAT_VERSION: u32 = 1;

/// True when `text` starts like a recording (not a TOML scenario).
pub fn looks_like_recording(text: &str) -> bool {
    text.trim_start().starts_with("{\"offsetlab_recording\"")
}

pub fn write(header: &Header, events: impl IntoIterator<Item = impl std::borrow::Borrow<Event>>) -> String {
    // Serializing these plain data types cannot fail.
    let mut out = serde_json::to_string(header).unwrap_or_default();
    out.push('\n');
    for e in events {
        out.push_str(&serde_json::to_string(e.borrow()).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Parses a recording; errors name the line. Events must not go back in
/// time, or the replay clock could not follow them.
pub fn read(text: &str) -> Result<(Header, Vec<Event>), String> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (_, first) = lines.next().ok_or("an empty file is not a recording")?;
    let header: Header =
        serde_json::from_str(first).map_err(|e| format!("line 1: not a recording header: {e}"))?;
    if header.offsetlab_recording != FORMAT_VERSION {
        return Err(format!(
            "line 1: recording format version {} is not supported (this OffsetLab reads {FORMAT_VERSION})",
            header.offsetlab_recording
        ));
    }
    if header.protocol_version != PROTOCOL_VERSION {
        return Err(format!(
            "line 1: events of protocol version {} cannot be read (this OffsetLab speaks {PROTOCOL_VERSION})",
            header.protocol_version
        ));
    }
    let mut events: Vec<Event> = Vec::new();
    for (i, line) in lines {
        let event: Event = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        if let Some(last) = events.last()
            && event.at_ms < last.at_ms
        {
            return Err(format!(
                "line {}: at_ms {} is before the previous event ({})",
                i + 1,
                event.at_ms,
                last.at_ms
            ));
        }
        events.push(event);
    }
    Ok((header, events))
}

#[cfg(test)]
mod tests {
    use offsetlab_protocol::EventKind;

    use super::*;

    fn header() -> Header {
        Header {
            offsetlab_recording: FORMAT_VERSION,
            protocol_version: PROTOCOL_VERSION,
            name: "demo".into(),
            name_ko: Some("데모".into()),
            description: String::new(),
            description_ko: None,
        }
    }

    fn topic(at_ms: u64) -> Event {
        Event { at_ms, kind: EventKind::TopicCreated { topic: "t".into(), partitions: 2 } }
    }

    #[test]
    fn writes_and_reads_back() {
        let events = vec![topic(0), topic(5)];
        let text = write(&header(), &events);
        assert!(looks_like_recording(&text));
        assert_eq!(text.lines().count(), 3);
        assert_eq!(read(&text).unwrap(), (header(), events));
    }

    #[test]
    fn bad_files_name_the_line() {
        let good = write(&header(), [topic(0)]);
        let broken = format!("{good}{{\"at_ms\":1,\"type\":\"no_such_event\"}}\n");
        assert!(read(&broken).unwrap_err().starts_with("line 3:"), "{}", read(&broken).unwrap_err());
        let backwards = write(&header(), [topic(9), topic(3)]);
        assert!(read(&backwards).unwrap_err().contains("before the previous event"));
        let future = good.replace("\"offsetlab_recording\":1", "\"offsetlab_recording\":7");
        assert!(read(&future).unwrap_err().contains("version 7"));
        assert!(read("").is_err());
        assert!(!looks_like_recording("version = 1\n"));
    }
}
