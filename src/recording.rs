//! Recordings: a session's event timeline as a file (JSON Lines: a header,
//! then one protocol `Event` per line), so a run, offline or from a live
//! cluster, can be shown again anywhere without its source.

use offsetlab_protocol::{Event, EventKind, PROTOCOL_VERSION};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::i18n::live::LiveText;

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

/// An event as a recording line: the same JSON as `Event`, with the time
/// it is written at.
#[derive(Serialize)]
struct Line<'a> {
    at_ms: u64,
    #[serde(flatten)]
    kind: &'a EventKind,
}

/// The recording of `events`. Times never go back: live, the gateway's
/// consumer processes and its observer keep their own clocks, so an event
/// can arrive after a later one; it is written at the later one's time, and
/// the order the view folded them in is kept.
pub fn write(header: &Header, events: impl IntoIterator<Item = impl std::borrow::Borrow<Event>>) -> String {
    // Serializing these plain data types cannot fail.
    let mut out = serde_json::to_string(header).unwrap_or_default();
    out.push('\n');
    let mut at_ms = 0;
    for e in events {
        let e = e.borrow();
        at_ms = e.at_ms.max(at_ms);
        out.push_str(&serde_json::to_string(&Line { at_ms, kind: &e.kind }).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The host (and port) of a gateway URL, for a recording's name: no
/// scheme, no user or password, no path or query.
pub fn gateway_host(url: &str) -> &str {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host)
}

/// The header of a live session's recording: "Live: <gateway host> <date>"
/// in both languages. Never the token: the URL's host is all it names.
pub fn live_header(gateway_url: &str, date: &str) -> Header {
    let host = gateway_host(gateway_url);
    let name = |lang| format!("{}: {host} {date}", LiveText::RecordingName.get(lang)).trim_end().to_string();
    Header {
        offsetlab_recording: FORMAT_VERSION,
        protocol_version: PROTOCOL_VERSION,
        name: name(Lang::En),
        name_ko: Some(name(Lang::Ko)),
        description: LiveText::RecordingDescription.get(Lang::En).into(),
        description_ko: Some(LiveText::RecordingDescription.get(Lang::Ko).into()),
    }
}

/// A file name for a live session's recording.
pub fn live_file_name(date: &str) -> String {
    let stamp: String =
        date.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    format!("offsetlab-live-{stamp}.recording.jsonl")
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
    fn times_never_go_back_and_the_order_is_kept() {
        let text = write(&header(), [topic(9), topic(3), topic(12)]);
        let (_, events) = read(&text).unwrap();
        assert_eq!(events.iter().map(|e| e.at_ms).collect::<Vec<_>>(), [9, 9, 12]);
    }

    #[test]
    fn a_live_recording_names_the_gateways_host_and_never_the_token() {
        assert_eq!(gateway_host("ws://127.0.0.1:8081/ws"), "127.0.0.1:8081");
        assert_eq!(gateway_host("wss://user:s3cret@gw.example/ws?token=s3cret#x"), "gw.example");
        assert_eq!(gateway_host("gw:9"), "gw:9");
        let h = live_header("wss://user:s3cret@gw.example:443/ws?token=s3cret", "2026-11-26 03:10");
        assert_eq!(h.name, "Live: gw.example:443 2026-11-26 03:10");
        assert_eq!(h.name_ko.as_deref(), Some("라이브: gw.example:443 2026-11-26 03:10"));
        let text = write(&h, [topic(0)]);
        assert!(!text.contains("s3cret") && looks_like_recording(&text));
        assert_eq!(live_file_name("2026-11-26 03:10"), "offsetlab-live-2026-11-26-03-10.recording.jsonl");
    }

    #[test]
    fn bad_files_name_the_line() {
        let good = write(&header(), [topic(0)]);
        let broken = format!("{good}{{\"at_ms\":1,\"type\":\"no_such_event\"}}\n");
        assert!(read(&broken).unwrap_err().starts_with("line 3:"), "{}", read(&broken).unwrap_err());
        let backwards =
            format!("{}{}\n", write(&header(), [topic(9)]), serde_json::to_string(&topic(3)).unwrap());
        assert!(read(&backwards).unwrap_err().contains("before the previous event"));
        let future = good.replace("\"offsetlab_recording\":1", "\"offsetlab_recording\":7");
        assert!(read(&future).unwrap_err().contains("version 7"));
        assert!(read("").is_err());
        assert!(!looks_like_recording("version = 1\n"));
    }
}
