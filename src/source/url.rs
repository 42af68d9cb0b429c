//! The page address: `?scenario=ID&t=MS&lang=ko` opens a built-in scenario
//! at a moment of virtual time, paused, in a language; `run=…` carries a
//! whole scenario file (base64url), so a shared link reopens exactly the
//! run someone was looking at, with their view choices.

use crate::i18n::Lang;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlState {
    pub scenario: Option<String>,
    pub t_ms: Option<u64>,
    pub lang: Option<Lang>,
    /// `embed`: the compact layout for an `<iframe>` in a documentation page.
    pub embed: bool,
    /// `autoplay`: start playing once the scenario is open.
    pub autoplay: bool,
    /// `run`: a scenario file's text, inline (it wins over `scenario`).
    pub run: Option<String>,
    /// `consumer`: the consumer whose panel is open.
    pub consumer: Option<String>,
    /// `follow`: the key the ordering lens follows.
    pub follow: Option<String>,
    /// `speed`: an index into the playback speeds.
    pub speed: Option<usize>,
    /// `present`: presentation mode.
    pub present: bool,
    /// `live`: open in live mode and connect to the gateway.
    pub live: bool,
    /// `gateway`: the gateway's WebSocket URL (implies `live`).
    pub gateway: Option<String>,
    /// `token`: the gateway's shared secret. Read, never written: a link
    /// made here does not carry it.
    pub token: Option<String>,
    /// Parameters whose values could not be read (`t=abc`, a `run` cut
    /// short), with the value: left out, and said so on the page.
    pub unreadable: Vec<(&'static str, String)>,
}

impl UrlState {
    /// Parses a query string (with or without the leading `?`). Unknown
    /// keys are ignored and bad values left out (listed in `unreadable`):
    /// a link must never break the page.
    pub fn parse(query: &str) -> UrlState {
        let mut out = UrlState::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            let mut unreadable = |key: &'static str| out.unreadable.push((key, value.clone()));
            match key {
                "scenario" if !value.is_empty() => out.scenario = Some(value),
                "t" => match value.parse() {
                    Ok(t) => out.t_ms = Some(t),
                    Err(_) => unreadable("t"),
                },
                "lang" => match Lang::from_tag(&value) {
                    Some(lang) => out.lang = Some(lang),
                    None => unreadable("lang"),
                },
                // A bare `?embed` or `embed=1`; `embed=0` turns it off.
                "embed" => out.embed = value != "0" && value != "false",
                "autoplay" => out.autoplay = value != "0" && value != "false",
                "run" => match base64url_decode(&value).and_then(|b| String::from_utf8(b).ok()) {
                    Some(run) => out.run = Some(run),
                    None => unreadable("run"),
                },
                "consumer" if !value.is_empty() => out.consumer = Some(value),
                "follow" if !value.is_empty() => out.follow = Some(value),
                "speed" => match value.parse() {
                    Ok(speed) => out.speed = Some(speed),
                    Err(_) => unreadable("speed"),
                },
                "present" => out.present = value != "0" && value != "false",
                "live" => out.live = value != "0" && value != "false",
                "gateway" if !value.is_empty() => out.gateway = Some(value),
                "token" if !value.is_empty() => out.token = Some(value),
                _ => {}
            }
        }
        out
    }

    /// The query string for this state (without `?`); `parse` reads it back.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(run) = &self.run {
            parts.push(format!("run={}", base64url_encode(run.as_bytes())));
        } else if let Some(id) = &self.scenario {
            parts.push(format!("scenario={}", percent_encode(id)));
        }
        if let Some(t) = self.t_ms {
            parts.push(format!("t={t}"));
        }
        if let Some(lang) = self.lang {
            parts.push(format!("lang={}", lang.tag()));
        }
        if let Some(c) = &self.consumer {
            parts.push(format!("consumer={}", percent_encode(c)));
        }
        if let Some(k) = &self.follow {
            parts.push(format!("follow={}", percent_encode(k)));
        }
        if let Some(speed) = self.speed {
            parts.push(format!("speed={speed}"));
        }
        if self.embed {
            parts.push("embed".into());
        }
        if self.autoplay {
            parts.push("autoplay".into());
        }
        if self.present {
            parts.push("present".into());
        }
        if self.live {
            parts.push("live".into());
        }
        if let Some(g) = &self.gateway {
            parts.push(format!("gateway={}", percent_encode(g)));
        }
        // Never the token: links get copied and shared.
        parts.join("&")
    }
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5): safe in a query string.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The inverse of `base64url_encode`; `None` for anything else.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u32> = text
        .bytes()
        .map(|c| B64.iter().position(|&d| d == c).and_then(|p| u32::try_from(p).ok()))
        .collect::<Option<_>>()?;
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, d)| n | d << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// Percent-decoding for the few characters scenario ids can carry.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Puts `query` in the address bar without reloading, so the address is a
/// link to what is on screen. The browser can refuse (sandboxed frames);
/// then the address stays as it was.
pub fn replace(query: &str) -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let url = format!("{}{}?{query}", location.origin().ok()?, location.pathname().ok()?);
    window.history().ok()?.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)).ok()?;
    Some(url)
}

/// The current page's query.
pub fn current() -> UrlState {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|q| UrlState::parse(&q))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length_and_rejects_junk() {
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(97)).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base64url_encode(b"Man"), "TWFu");
        assert_eq!(base64url_encode(b"\xfb\xff"), "-_8");
        assert_eq!(base64url_decode("a+b"), None);
        assert_eq!(base64url_decode("abcde"), None);
    }

    #[test]
    fn reads_scenario_time_and_language_and_ignores_junk() {
        let u = UrlState::parse("?scenario=two-groups&t=12500&lang=ko&x=1");
        assert_eq!(
            u,
            UrlState {
                scenario: Some("two-groups".into()),
                t_ms: Some(12_500),
                lang: Some(Lang::Ko),
                ..UrlState::default()
            }
        );
        let embedded = UrlState::parse("?embed&scenario=seek&autoplay=1");
        assert!(embedded.embed && embedded.autoplay);
        assert!(!UrlState::parse("?embed=0").embed);
        let shared = UrlState {
            run: Some("version = 1\nname = \"ü & =\"\n".into()),
            t_ms: Some(4_200),
            lang: Some(Lang::Ko),
            consumer: Some("c 1".into()),
            follow: Some("key/7".into()),
            speed: Some(5),
            ..UrlState::default()
        };
        assert_eq!(UrlState::parse(&shared.to_query()), shared, "{}", shared.to_query());
        let junk = UrlState::parse("?t=-5&lang=xx&scenario=&%zz&speed=fast&run=%21%21");
        assert_eq!(
            junk,
            UrlState {
                unreadable: vec![
                    ("t", "-5".into()),
                    ("lang", "xx".into()),
                    ("speed", "fast".into()),
                    ("run", "!!".into())
                ],
                ..UrlState::default()
            }
        );
        assert_eq!(UrlState::parse("scenario=a%2Db+c").scenario.as_deref(), Some("a-b c"));
        assert_eq!(UrlState::parse("scenario=50%").scenario.as_deref(), Some("50%"));
    }

    #[test]
    fn the_gateway_is_linked_but_its_token_never_is() {
        let u = UrlState::parse("?gateway=ws%3A%2F%2F10.0.0.5%3A8080%2Fws&token=s3cret&lang=ko");
        assert_eq!(u.gateway.as_deref(), Some("ws://10.0.0.5:8080/ws"));
        assert_eq!(u.token.as_deref(), Some("s3cret"));
        let link = u.to_query();
        assert!(!link.contains("s3cret") && !link.contains("token"), "{link}");
        assert_eq!(UrlState::parse(&link), UrlState { token: None, ..u });
        assert!(UrlState::parse("?live").live);
    }
}
