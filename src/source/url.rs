//! The page address as input: `?scenario=ID&t=MS&lang=ko` opens a built-in
//! scenario at a moment of virtual time, paused, in a language.

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
}

impl UrlState {
    /// Parses a query string (with or without the leading `?`). Unknown
    /// keys and bad values are ignored: a link must never break the page.
    pub fn parse(query: &str) -> UrlState {
        let mut out = UrlState::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            match key {
                "scenario" if !value.is_empty() => out.scenario = Some(value),
                "t" => out.t_ms = value.parse().ok(),
                "lang" => out.lang = Lang::from_tag(&value),
                // A bare `?embed` or `embed=1`; `embed=0` turns it off.
                "embed" => out.embed = value != "0" && value != "false",
                "autoplay" => out.autoplay = value != "0" && value != "false",
                _ => {}
            }
        }
        out
    }
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
        let junk = UrlState::parse("?t=-5&lang=xx&scenario=&%zz");
        assert_eq!(junk, UrlState::default());
        assert_eq!(UrlState::parse("scenario=a%2Db+c").scenario.as_deref(), Some("a-b c"));
        assert_eq!(UrlState::parse("scenario=50%").scenario.as_deref(), Some("50%"));
    }
}
